package io.hawser.cli.wire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the CLI socket.
 *
 * @param kind    what the payload is
 * @param payload the bytes
 */
public record Frame(Kind kind, byte[] payload) {

    /** Larger payloads are split; this bounds what a peer must buffer for one frame. */
    public static final int MAX_PAYLOAD = 1 << 20;

    /** Frame kinds, with the byte that stands for each on the wire. */
    public enum Kind {
        /** Client → daemon, first frame: the command line ({@link Request}). */
        REQUEST(1),
        /** Client → daemon: bytes of standard input. */
        STDIN(2),
        /** Client → daemon: standard input is at its end. */
        STDIN_EOF(3),
        /**
         * Client → daemon: the terminal's size, two ints (columns, rows): once in answer to
         * {@link #TERMINAL}, then whenever the window changes.
         */
        RESIZE(4),
        /**
         * Client → daemon: a signal the client received (SIGINT, SIGTERM, SIGHUP), one int, sent
         * only after {@link #SIGNALS} asked for it.
         */
        SIGNAL(5),
        /** Daemon → client: bytes for standard output. */
        STDOUT(16),
        /** Daemon → client: bytes for standard error. */
        STDERR(17),
        /** Daemon → client: start sending standard input. */
        STDIN_WANTED(18),
        /** Daemon → client, last frame: the exit status, one int. */
        EXIT(19),
        /**
         * Daemon → client: the command now runs a terminal (a container's pseudo-terminal); one
         * int of flags, {@link Frame#RAW} asking the client to put its own terminal in raw mode
         * until the command ends. The client answers with {@link #RESIZE} and sends one again on
         * every window change.
         */
        TERMINAL(20),
        /**
         * Daemon → client: the command runs a process that should receive the client's SIGINT,
         * SIGTERM and SIGHUP (docker's sig-proxy): the client sends each as {@link #SIGNAL}
         * instead of dying of it.
         */
        SIGNALS(21);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) throws IOException {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IOException("unknown frame kind " + code + " on the CLI socket");
        }
    }

    /** The {@link Kind#TERMINAL} flag asking for raw mode: keys go to the command unprocessed and unechoed. */
    public static final int RAW = 1;

    /**
     * Writes this frame and flushes it. The header is laid out by a byte buffer rather than the
     * stream's {@code writeInt}, whose first use sets up the JDK's byte-array var handles:
     * milliseconds of a client's start before its request is on its way.
     */
    public void write(DataOutputStream out) throws IOException {
        if (payload.length > MAX_PAYLOAD) {
            throw new IOException("frame of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        byte[] header = ByteBuffer.allocate(HEADER_BYTES).put((byte) kind.code).putInt(payload.length).array();
        synchronized (out) {
            out.write(header);
            out.write(payload);
            out.flush();
        }
    }

    /** A frame's header: its kind's code, then its payload's length. */
    private static final int HEADER_BYTES = 1 + Integer.BYTES;

    /** Reads a frame; {@code null} at a clean end of stream between frames. */
    public static Frame read(DataInputStream in) throws IOException {
        int code = in.read();
        if (code < 0) {
            return null;
        }
        byte[] payload;
        try {
            int length = in.readInt();
            if (length < 0 || length > MAX_PAYLOAD) {
                throw new IOException("frame length " + length + " out of range on the CLI socket");
            }
            payload = new byte[length];
            in.readFully(payload);
        } catch (EOFException e) {
            throw new IOException("CLI socket closed in the middle of a frame", e);
        }
        return new Frame(Kind.of(code), payload);
    }

    /** An {@link Kind#EXIT} frame. */
    public static Frame exit(int status) {
        return new Frame(Kind.EXIT, ByteBuffer.allocate(4).putInt(status).array());
    }

    /** A {@link Kind#RESIZE} frame. */
    public static Frame resize(int columns, int rows) {
        return new Frame(Kind.RESIZE, ByteBuffer.allocate(8).putInt(columns).putInt(rows).array());
    }

    /** A {@link Kind#TERMINAL} frame; {@code raw} sets {@link #RAW}. */
    public static Frame terminal(boolean raw) {
        return new Frame(Kind.TERMINAL, ByteBuffer.allocate(4).putInt(raw ? RAW : 0).array());
    }

    /** A {@link Kind#SIGNAL} frame. */
    public static Frame signal(int number) {
        return new Frame(Kind.SIGNAL, ByteBuffer.allocate(4).putInt(number).array());
    }

    /** The int at this index of the payload, for the kinds that carry ints. */
    public int intAt(int index) {
        return ByteBuffer.wrap(payload).getInt(index * 4);
    }

    /** A frame carrying text, for tests and messages. */
    public static Frame text(Kind kind, String text) {
        return new Frame(kind, text.getBytes(StandardCharsets.UTF_8));
    }
}
