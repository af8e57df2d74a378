package io.hawser.commands.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.hawser.cli.wire.Frame;
import io.hawser.cli.wire.Request;
import io.hawser.commands.internal.ClientTerminal;
import io.hawser.commands.internal.CommandRegistry;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CliServerTest {

    @TempDir
    Path dir;

    private Path socket;
    private CliServer server;
    private final CommandRegistry commands = new CommandRegistry();

    /** What the client received until EXIT. */
    private record Reply(String stdout, String stderr, int status) {}

    @BeforeEach
    void start() throws IOException {
        commands.add("echo", new Command() {
            @Override
            public String summary() {
                return "print the arguments";
            }

            @Override
            public String usage() {
                return "[WORD...]";
            }

            @Override
            public int run(CommandContext context, List<String> args) {
                context.out().println(String.join(" ", args));
                return 0;
            }
        });
        commands.add("cat", new Command() {
            @Override
            public String summary() {
                return "copy standard input to standard output";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public int run(CommandContext context, List<String> args) throws IOException {
                context.in().transferTo(context.out());
                return 0;
            }
        });
        commands.add("tty", new Command() {
            @Override
            public String summary() {
                return "open the client's terminal and print the sizes it reports";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public int run(CommandContext context, List<String> args) throws Exception {
                ClientTerminal terminal = ClientTerminal.of(context).orElseThrow();
                var resized = new java.util.concurrent.LinkedBlockingQueue<ClientTerminal.Size>();
                terminal.onResize(resized::add);
                ClientTerminal.Size first = terminal.open(true, java.time.Duration.ofSeconds(10)).orElseThrow();
                context.out().println(first.columns() + "x" + first.rows());
                resized.take();
                ClientTerminal.Size next = resized.take();
                context.out().println(next.columns() + "x" + next.rows());
                return 0;
            }
        });
        commands.add("trap", new Command() {
            @Override
            public String summary() {
                return "take the client's signals and print the first";
            }

            @Override
            public String usage() {
                return "";
            }

            @Override
            public int run(CommandContext context, List<String> args) throws Exception {
                var signals = new java.util.concurrent.LinkedBlockingQueue<Integer>();
                ClientTerminal.of(context).orElseThrow().forwardSignals(signals::add);
                context.out().println("signal " + signals.take());
                return 0;
            }
        });
        socket = dir.resolve("hawser.sock");
        server = new CliServer(socket, commands);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private static final class Client implements AutoCloseable {
        private final SocketChannel channel;
        private final DataInputStream in;
        private final DataOutputStream out;

        Client(Path socket) throws IOException {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
            in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        }

        void send(Frame frame) throws IOException {
            frame.write(out);
        }

        Frame receive() throws IOException {
            return Frame.read(in);
        }

        Reply replyUntilExit() throws IOException {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            for (Frame frame; (frame = receive()) != null; ) {
                switch (frame.kind()) {
                    case STDOUT -> stdout.write(frame.payload());
                    case STDERR -> stderr.write(frame.payload());
                    case EXIT -> {
                        return new Reply(stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8), frame.intAt(0));
                    }
                    default -> throw new AssertionError("unexpected " + frame.kind() + " frame");
                }
            }
            throw new AssertionError("connection closed before EXIT");
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private Reply call(String... args) throws IOException {
        try (Client client = new Client(socket)) {
            client.send(new Request(List.of(args), false, 80, 24, "/").toFrame());
            return client.replyUntilExit();
        }
    }

    @Test
    void runsTheRequestedCommandAndSendsItsOutputAndExitStatus() throws IOException {
        assertEquals(new Reply("a b\n", "", 0), call("echo", "a", "b"));
    }

    @Test
    void errorsOfTheCommandGoToStderrWithTheirStatus() throws IOException {
        Reply reply = call("nope");

        assertEquals(2, reply.status());
        assertEquals("", reply.stdout());
        assertTrue(reply.stderr().contains("unknown command \"nope\""), reply.stderr());
    }

    @Test
    void standardInputFlowsOnlyAfterTheServerAsksForIt() throws IOException {
        try (Client client = new Client(socket)) {
            client.send(new Request(List.of("cat"), false, 80, 24, "/").toFrame());

            assertEquals(Frame.Kind.STDIN_WANTED, client.receive().kind());
            client.send(Frame.text(Frame.Kind.STDIN, "hello "));
            client.send(Frame.text(Frame.Kind.STDIN, "world\n"));
            client.send(new Frame(Frame.Kind.STDIN_EOF, new byte[0]));

            assertEquals(new Reply("hello world\n", "", 0), client.replyUntilExit());
        }
    }

    @Test
    void connectionsAreServedOneAfterAnother() throws IOException {
        assertEquals(0, call("echo", "one").status());
        assertEquals(new Reply("two\n", "", 0), call("echo", "two"));
    }

    @Test
    void socketIsReadableAndWritableByOwnerAndGroupOnly() throws IOException {
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), Files.getPosixFilePermissions(socket));
    }

    @Test
    void closeRemovesTheSocketFile() throws IOException {
        server.close();

        assertFalse(Files.exists(socket));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(), entries.toList());
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws IOException {
        server.close();
        try (ServerSocketChannel crashed = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket), "a closed unix socket leaves its file behind");

        server = new CliServer(socket, commands);

        assertEquals(new Reply("still here\n", "", 0), call("echo", "still", "here"));
    }

    @Test
    void aTerminalIsOpenedRawAndTheClientsSizesReachTheCommand() throws IOException {
        try (Client client = new Client(socket)) {
            client.send(new Request(List.of("tty"), true, 80, 24, "/").toFrame());

            Frame terminal = client.receive();
            assertEquals(Frame.Kind.TERMINAL, terminal.kind());
            assertEquals(Frame.RAW, terminal.intAt(0));
            client.send(Frame.resize(0, 0));
            client.send(Frame.resize(132, 43));
            assertEquals("132x43\n", new String(client.receive().payload(), StandardCharsets.UTF_8));
            client.send(Frame.resize(100, 30));

            assertEquals(new Reply("100x30\n", "", 0), client.replyUntilExit());
        }
    }

    @Test
    void aCommandInTheConsoleHasNoClientTerminal() {
        var context = new io.hawser.commands.internal.StreamsContext(System.out, System.err, java.io.InputStream.nullInputStream(), false, 80, dir);

        assertTrue(ClientTerminal.of(context).isEmpty());
    }

    @Test
    void signalsFlowOnlyAfterTheServerAsksForThem() throws IOException {
        try (Client client = new Client(socket)) {
            client.send(new Request(List.of("trap"), false, 80, 24, "/").toFrame());

            assertEquals(Frame.Kind.SIGNALS, client.receive().kind());
            client.send(Frame.signal(2));

            assertEquals(new Reply("signal 2\n", "", 0), client.replyUntilExit());
        }
    }
}
