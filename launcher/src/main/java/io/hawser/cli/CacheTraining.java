package io.hawser.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hawser.cli.wire.Frame;
import io.hawser.cli.wire.Request;

/**
 * The training run the distribution's build records the client's ahead-of-time cache from
 * ({@code java -XX:AOTCacheOutput=lib/hawser-cli.aot}, JDK 25): one whole exchange, request and
 * answer frames included, with a stand-in for the daemon on a socket in a temporary directory. The
 * stand-in answers as {@code run} does (the client's signals passed on, output, exit status), so
 * the classes and lambdas of a container's run are in the cache too. {@code bin/hawser} starts the client with that cache, so the classes of
 * every call come loaded and linked; the daemon cannot be the partner, the build has none running.
 *
 * <p>Exits with the client's status: 0 when the exchange went through.
 */
public final class CacheTraining {

    private CacheTraining() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        // the client's way first, as in a call: the stand-in's server socket would otherwise
        // initialise the JDK's unix socket class the usual way, and the cache would record that
        UnixSockets.open().close();
        // not Files.createTempDirectory: its random names would start the JDK's security providers,
        // which the client never does, and the cache would record them
        Path directory = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                "hawser-cli-training-" + ProcessHandle.current().pid()));
        Path socket = directory.resolve("hawser.sock");
        Files.deleteIfExists(socket);
        int status;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread daemon = Thread.ofPlatform().name("stand-in daemon").start(() -> answerOne(server));
            status = HawserCli.run(new String[] {"--address", socket.toString(), "version"});
            daemon.join();
        } finally {
            Files.deleteIfExists(socket);
            Files.delete(directory);
        }
        System.exit(status);
    }

    /** Reads one request and answers it as a container's run would: take over the signals, a line of output, status 0. */
    private static void answerOne(ServerSocketChannel server) {
        try (SocketChannel client = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            Request request = Request.fromFrame(Frame.read(in));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            new Frame(Frame.Kind.SIGNALS, new byte[0]).write(out);
            Frame.text(Frame.Kind.STDOUT, "training: " + String.join(" ", request.args()) + "\n").write(out);
            Frame.exit(0).write(out);
        } catch (IOException e) {
            System.err.println("stand-in daemon: " + e.getMessage());
        }
    }
}
