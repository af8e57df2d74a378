package io.hawser.cli.wire;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the client asks: a command line and what kind of terminal it has.
 *
 * @param args     the command and its arguments
 * @param terminal whether the client's standard output is a terminal
 * @param columns  the terminal's width, 80 when unknown
 * @param rows     the terminal's height, 24 when unknown
 * @param workingDirectory the client's working directory: relative paths on its command line mean paths under it
 */
public record Request(List<String> args, boolean terminal, int columns, int rows, String workingDirectory) {

    /** Version of the payload layout, first on the wire, so client and daemon can tell a mismatch. */
    private static final int LAYOUT = 2;

    public Request {
        args = List.copyOf(args);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }

    /**
     * The {@link Frame.Kind#REQUEST} frame for this request, in {@link DataOutputStream}'s layout
     * (which {@link #fromFrame} reads) but laid out by a byte buffer: the stream's first
     * {@code writeInt} or {@code writeUTF} sets up the JDK's byte-array var handles, milliseconds
     * of the client's start before its request is on its way.
     */
    public Frame toFrame() throws IOException {
        List<String> strings = new ArrayList<>(args.size() + 1);
        strings.add(workingDirectory);
        strings.addAll(args);
        int size = Integer.BYTES * 4 + 1;
        for (String string : strings) {
            size += Short.BYTES + modifiedUtf8Length(string);
        }
        ByteBuffer payload = ByteBuffer.allocate(size)
                .putInt(LAYOUT)
                .put((byte) (terminal ? 1 : 0))
                .putInt(columns)
                .putInt(rows);
        putModifiedUtf8(payload, workingDirectory);
        payload.putInt(args.size());
        for (String arg : args) {
            putModifiedUtf8(payload, arg);
        }
        return new Frame(Frame.Kind.REQUEST, payload.array());
    }

    /** The length of {@code writeUTF}'s encoding of a string, without its two length bytes. */
    private static int modifiedUtf8Length(String string) throws IOException {
        int length = 0;
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            length += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        if (length > MAX_UTF_LENGTH) {
            throw new UTFDataFormatException("an argument of " + length + " bytes exceeds " + MAX_UTF_LENGTH);
        }
        return length;
    }

    /** {@code writeUTF}'s encoding: the length in two bytes, then each char in one to three (NUL in two). */
    private static void putModifiedUtf8(ByteBuffer buffer, String string) throws IOException {
        buffer.putShort((short) modifiedUtf8Length(string));
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (c >= 1 && c <= 0x7f) {
                buffer.put((byte) c);
            } else if (c <= 0x7ff) {
                buffer.put((byte) (0xc0 | (c >> 6))).put((byte) (0x80 | (c & 0x3f)));
            } else {
                buffer.put((byte) (0xe0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3f))).put((byte) (0x80 | (c & 0x3f)));
            }
        }
    }

    /** The longest string {@code writeUTF} writes: its length must fit an unsigned short. */
    private static final int MAX_UTF_LENGTH = 0xffff;

    /** Decodes a {@link Frame.Kind#REQUEST} frame. */
    public static Request fromFrame(Frame frame) throws IOException {
        if (frame.kind() != Frame.Kind.REQUEST) {
            throw new IOException("expected a request frame, got " + frame.kind());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame.payload()));
        int layout = in.readInt();
        if (layout != LAYOUT) {
            throw new IOException("request layout " + layout + " is not understood (this daemon speaks " + LAYOUT + ")");
        }
        boolean terminal = in.readBoolean();
        int columns = in.readInt();
        int rows = in.readInt();
        String workingDirectory = in.readUTF();
        int count = in.readInt();
        if (count < 0 || count > 10_000) {
            throw new IOException("request with " + count + " arguments");
        }
        List<String> args = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            args.add(in.readUTF());
        }
        return new Request(args, terminal, columns, rows, workingDirectory);
    }
}
