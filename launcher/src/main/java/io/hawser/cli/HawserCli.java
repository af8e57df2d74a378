package io.hawser.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.hawser.cli.wire.Frame;
import io.hawser.cli.wire.Request;

/**
 * The {@code hawser} command: sends its command line to the daemon's CLI socket, copies what
 * comes back to its own stdout and stderr, and exits with the command's status.
 */
public final class HawserCli {

    /** The socket of a daemon started on the default state directory. */
    static final String DEFAULT_ADDRESS = "/run/hawser/hawser.sock";

    /** A constant, not formatted: the formatter's classes would cost every call milliseconds of start. */
    private static final String USAGE = """
            usage: hawser [--address SOCKET] COMMAND [ARG...]

            Runs COMMAND in hawserd; 'hawser help' lists the commands.

              --address SOCKET  the daemon's CLI socket (default $HAWSER_ADDRESS, else\s""" + DEFAULT_ADDRESS + ")\n";

    private static final String UNIX_SCHEME = "unix://";

    /** Set by {@code bin/hawser}: {@code true} when stdin and stdout are a terminal. */
    static final String TERMINAL_PROPERTY = "hawser.terminal";

    /** The status a shell reports for a program SIGPIPE ended: the reader of its output went away. */
    static final int OUTPUT_CLOSED = 128 + 13;

    private HawserCli() {}

    public static void main(String[] argv) {
        int status = run(argv);
        System.out.flush();
        System.err.flush();
        // the terminal is restored already; the JVM's orderly exit only costs milliseconds more
        Runtime.getRuntime().halt(status);
    }

    static int run(String[] argv) {
        String address = System.getenv().getOrDefault("HAWSER_ADDRESS", DEFAULT_ADDRESS);
        List<String> args = new ArrayList<>(List.of(argv));
        while (!args.isEmpty() && args.getFirst().startsWith("-")) {
            String option = args.removeFirst();
            if (option.equals("--address") || option.equals("-a")) {
                if (args.isEmpty()) {
                    return usageError(option + " needs a socket path");
                }
                address = args.removeFirst();
            } else if (option.startsWith("--address=")) {
                address = option.substring("--address=".length());
            } else if (option.equals("--help") || option.equals("-h")) {
                System.out.print(USAGE);
                return 0;
            } else if (option.equals("--")) {
                break;
            } else {
                return usageError("unknown option " + option);
            }
        }
        if (args.isEmpty()) {
            return usageError("no command given");
        }
        Path socket = Path.of(address.startsWith(UNIX_SCHEME) ? address.substring(UNIX_SCHEME.length()) : address);
        // not closed: the exit closes it, and closing it here would first initialise the JDK's
        // extended socket options (a library to load and five probing sockets: milliseconds per call)
        try {
            SocketChannel channel = UnixSockets.open();
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                System.err.println("hawser: cannot reach hawserd at " + socket + ": " + e.getMessage() + " (is hawserd running?)");
                return 1;
            }
            return converse(channel, args);
        } catch (IOException e) {
            System.err.println("hawser: connection to hawserd at " + socket + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int converse(SocketChannel channel, List<String> args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        boolean terminal = onATerminal();
        int columns = envInt("COLUMNS", 80);
        int rows = envInt("LINES", 24);
        new Request(args, terminal, columns, rows, System.getProperty("user.dir")).toFrame().write(out);

        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        boolean stdinStarted = false;
        Tty tty = new Tty();
        try {
            for (Frame frame; (frame = Frame.read(in)) != null; ) {
                switch (frame.kind()) {
                    case STDOUT, STDERR -> {
                        try {
                            (frame.kind() == Frame.Kind.STDOUT ? stdout : stderr).write(frame.payload());
                        } catch (IOException readerGone) {
                            // `hawser logs -f | head`: the reader closed the pipe; stop without a word, as
                            // a program SIGPIPE ends would (the JVM ignores the signal), and the daemon
                            // ends the command when the connection closes
                            return OUTPUT_CLOSED;
                        }
                    }
                    case STDIN_WANTED -> {
                        if (!stdinStarted) {
                            stdinStarted = true;
                            Thread.ofVirtual().name("stdin").start(() -> pumpStdin(System.in, out));
                        }
                    }
                    case TERMINAL -> openTerminal(tty, (frame.intAt(0) & Frame.RAW) != 0 && terminal, out, columns, rows);
                    case SIGNALS -> forwardSignals(out);
                    case EXIT -> {
                        return frame.intAt(0);
                    }
                    default -> throw new IOException("unexpected " + frame.kind() + " frame from hawserd");
                }
            }
        } finally {
            tty.restore();
        }
        System.err.println("hawser: hawserd closed the connection before the command finished");
        return 1;
    }

    /**
     * The daemon runs a terminal for us: raw mode if asked (and restored however the client ends:
     * here, on the exit status, or by a shutdown hook on SIGTERM or SIGHUP), the window size now
     * and on every SIGWINCH. Without a terminal of our own the size is what the environment says.
     */
    private static void openTerminal(Tty tty, boolean raw, DataOutputStream out, int columns, int rows) throws IOException {
        try {
            if (raw && tty.makeRaw()) {
                Runtime.getRuntime().addShutdownHook(new Thread(tty::restore, "restore-terminal"));
            }
        } catch (IOException e) {
            // the session still works, only keys arrive a line at a time and echoed twice
            System.err.println("hawser: cannot put the terminal in raw mode: " + e.getMessage());
        }
        sendSize(tty, out, columns, rows);
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> {
            try {
                sendSize(tty, out, columns, rows);
            } catch (IOException e) {
                // the command ended meanwhile: no one to tell
            }
        });
    }

    /**
     * From now on SIGINT, SIGTERM and SIGHUP go to the daemon's command (which passes them to the
     * container) instead of ending this client; the client ends when the command does.
     */
    private static void forwardSignals(DataOutputStream out) {
        for (String name : List.of("INT", "TERM", "HUP")) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                try {
                    Frame.signal(signal.getNumber()).write(out);
                } catch (IOException e) {
                    // the command ended meanwhile: the client is about to end too
                }
            });
        }
    }

    private static void sendSize(Tty tty, DataOutputStream out, int columns, int rows) throws IOException {
        int[] size = tty.size().orElse(new int[] {columns, rows});
        Frame.resize(size[0], size[1]).write(out);
    }

    private static void pumpStdin(InputStream stdin, DataOutputStream out) {
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n; (n = stdin.read(buffer)) >= 0; ) {
                new Frame(Frame.Kind.STDIN, Arrays.copyOf(buffer, n)).write(out);
            }
            new Frame(Frame.Kind.STDIN_EOF, new byte[0]).write(out);
        } catch (IOException e) {
            // the daemon ended the command (and the connection) while input was still coming
        }
    }

    /**
     * Whether stdin and stdout are a terminal: as {@code bin/hawser} found with the shell's
     * {@code test -t} (the JDK's console costs a look through its modules for providers first), else
     * as the JDK's console says.
     */
    private static boolean onATerminal() {
        String found = System.getProperty(TERMINAL_PROPERTY);
        if (found != null) {
            return Boolean.parseBoolean(found);
        }
        return System.console() != null && System.console().isTerminal();
    }

    private static int envInt(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            // the usual case, answered without building an exception on every call
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static int usageError(String message) {
        System.err.println("hawser: " + message);
        System.err.print(USAGE);
        return 2;
    }
}
