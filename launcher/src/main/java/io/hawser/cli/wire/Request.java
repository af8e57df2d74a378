package io.hawser.cli.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    /** The {@link Frame.Kind#REQUEST} frame for this request. */
    public Frame toFrame() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(LAYOUT);
            out.writeBoolean(terminal);
            out.writeInt(columns);
            out.writeInt(rows);
            out.writeUTF(workingDirectory);
            out.writeInt(args.size());
            for (String arg : args) {
                out.writeUTF(arg);
            }
        }
        return new Frame(Frame.Kind.REQUEST, bytes.toByteArray());
    }

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
