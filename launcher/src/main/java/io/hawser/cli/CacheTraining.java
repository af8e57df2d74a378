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
 * The daemon's stand-in for the training run the distribution's build records the client's
 * ahead-of-time cache from ({@code lib/record-cli-cache}: {@code java -XX:AOTCacheOutput=…} of a
 * {@code hawser version}, JDK 25). It listens on the socket it is given, answers one request as a
 * container's run would (the client's signals taken over, a line of output, status 0), so the
 * classes and lambdas of a run are in the cache too, and ends. It runs in a JVM of its own: every
 * class the cache holds is loaded at each client's start, and the stand-in's are no client's.
 *
 * <p>{@code CacheTraining SOCKET}; exits with status 0 once it has answered.
 */
public final class CacheTraining {

    private CacheTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CacheTraining SOCKET");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            answerOne(server);
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    private static void answerOne(ServerSocketChannel server) throws IOException {
        try (SocketChannel client = server.accept()) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            Request request = Request.fromFrame(Frame.read(in));
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            new Frame(Frame.Kind.SIGNALS, new byte[0]).write(out);
            Frame.text(Frame.Kind.STDOUT, "training: " + String.join(" ", request.args()) + "\n").write(out);
            Frame.exit(0).write(out);
        }
    }
}
