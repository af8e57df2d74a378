package io.hawser.commands.internal.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.hawser.cli.wire.Frame;
import io.hawser.cli.wire.FrameOutputStream;
import io.hawser.cli.wire.Request;
import io.hawser.commands.internal.CommandRegistry;
import io.hawser.commands.internal.StreamsContext;

/**
 * Serves the CLI socket: one virtual thread per connection runs the requested command with the
 * connection as its terminal.
 */
public final class CliServer implements Closeable {

    private static final System.Logger LOG = System.getLogger(CliServer.class.getName());

    private final Path socket;
    private final ServerSocketChannel server;
    private final CommandRegistry commands;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /**
     * Binds the socket, mode 0660 and owned by the daemon's user, replacing a stale socket file
     * (the daemon holds the state directory's lock, so no live daemon owns it).
     */
    public CliServer(Path socket, CommandRegistry commands) throws IOException {
        this.socket = socket;
        this.commands = commands;
        this.server = bindPrivately(socket);
        this.acceptor = Thread.ofVirtual().name("cli-accept").start(this::accept);
    }

    /**
     * Binds in a directory only the owner can enter, sets the mode, then renames the socket into
     * place, so there is no moment at which another user could connect.
     */
    private static ServerSocketChannel bindPrivately(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        Path staging = Files.createTempDirectory(socket.getParent(), ".bind-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staged = staging.resolve(socket.getFileName());
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-rw----"));
            Files.move(staged, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            Files.deleteIfExists(staged);
            Files.delete(staging);
        }
    }

    /** Where clients connect. */
    public Path socket() {
        return socket;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                connections.add(connection);
                Thread.ofVirtual().name("cli-connection").start(() -> serve(connection));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accepting on " + socket + " failed", e);
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(connection)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(connection)));
            Frame first = Frame.read(in);
            if (first == null) {
                return;
            }
            Request request = Request.fromFrame(first);
            CliTerminal terminal = new CliTerminal(out);
            ClientInput input = new ClientInput(in, out, Thread.currentThread(), terminal);
            input.start();
            PrintStream stdout = new PrintStream(new FrameOutputStream(out, Frame.Kind.STDOUT), true, StandardCharsets.UTF_8);
            PrintStream stderr = new PrintStream(new FrameOutputStream(out, Frame.Kind.STDERR), true, StandardCharsets.UTF_8);
            int status = commands.run(List.copyOf(request.args()),
                    new StreamsContext(stdout, stderr, input, request.terminal(), request.columns(), Path.of(request.workingDirectory()), terminal));
            stdout.flush();
            stderr.flush();
            Frame.exit(status).write(out);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "CLI connection ended: " + e.getMessage());
        } finally {
            connections.remove(connection);
        }
    }

    /** Stops accepting, ends open connections and removes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel connection : connections) {
            connection.close();
        }
        acceptor.interrupt();
        Files.deleteIfExists(socket);
    }
}
