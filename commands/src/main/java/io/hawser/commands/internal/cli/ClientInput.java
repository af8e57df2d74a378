package io.hawser.commands.internal.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

import io.hawser.cli.wire.Frame;

/**
 * What the client sends while its command runs. Standard input is asked for on the first read,
 * so a command that never reads never takes the client's input. When the client goes away (its
 * user pressed Ctrl-C), the command's thread is interrupted.
 */
final class ClientInput extends InputStream {

    private static final byte[] END = new byte[0];

    private final DataInputStream in;
    private final DataOutputStream out;
    private final Thread command;
    private final CliTerminal terminal;
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int position;
    private boolean asked;
    private boolean ended;

    ClientInput(DataInputStream in, DataOutputStream out, Thread command, CliTerminal terminal) {
        this.in = in;
        this.out = out;
        this.command = command;
        this.terminal = terminal;
    }

    void start() {
        Thread.ofVirtual().name("cli-input").start(this::receive);
    }

    private void receive() {
        try {
            for (Frame frame; (frame = Frame.read(in)) != null; ) {
                switch (frame.kind()) {
                    case STDIN -> chunks.add(frame.payload());
                    case STDIN_EOF -> chunks.add(END);
                    case RESIZE -> {
                        if (frame.payload().length != 8) {
                            throw new IOException("RESIZE frame of " + frame.payload().length + " bytes from the client");
                        }
                        terminal.resized(frame.intAt(0), frame.intAt(1));
                    }
                    case SIGNAL -> {
                        if (frame.payload().length != 4) {
                            throw new IOException("SIGNAL frame of " + frame.payload().length + " bytes from the client");
                        }
                        terminal.signalled(frame.intAt(0));
                    }
                    default -> throw new IOException("unexpected " + frame.kind() + " frame from the client");
                }
            }
        } catch (IOException e) {
            // the connection broke: same as the client leaving
        }
        chunks.add(END);
        command.interrupt();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!asked) {
            asked = true;
            new Frame(Frame.Kind.STDIN_WANTED, new byte[0]).write(out);
        }
        while (position == current.length) {
            if (ended) {
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the client went away");
            }
            position = 0;
            ended = current == END;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }
}
