package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * A gRPC server on a unix socket, built by hand: Netty's epoll transport and the server class are
 * named here, so nothing goes through grpc's provider lookups (ServiceLoader cannot see into an
 * OSGi bundle). Only the daemon's user may connect: the socket is created under a temporary name,
 * restricted to mode 0600 and only then renamed into place, so no client ever finds it open wider.
 */
final class CriServer implements AutoCloseable {

    private static final long SHUTDOWN_SECONDS = 5;

    // grpc sets SO_KEEPALIVE on every accepted channel; a unix socket has no such option, so Netty
    // would warn once per connection. Held here because java.util.logging keeps loggers weakly.
    private static final Logger BOOTSTRAP_LOG = quiet("io.netty.bootstrap.ServerBootstrap");

    private final Path socket;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService calls;
    private final Server server;

    private CriServer(Path socket, EventLoopGroup boss, EventLoopGroup workers, ExecutorService calls, Server server) {
        this.socket = socket;
        this.boss = boss;
        this.workers = workers;
        this.calls = calls;
        this.server = server;
    }

    /**
     * Serves the services on {@code socket}, replacing a socket a crashed daemon left behind.
     *
     * @throws IOException when the epoll transport is not available, the path is taken by something
     *                     that is not a socket, or binding fails
     */
    static CriServer start(Path socket, List<ServerServiceDefinition> services) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's epoll transport is not available: " + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
        }
        Files.createDirectories(socket.getParent());
        removeStaleSocket(socket);
        Path binding = socket.resolveSibling("." + socket.getFileName() + ".binding");
        removeStaleSocket(binding);

        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(2);
        // pulls block for minutes on the network: a virtual thread per call keeps the event loops free
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(binding.toFile()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .executor(calls);
        services.forEach(builder::addService);
        Server server = builder.build();
        CriServer started = new CriServer(socket, boss, workers, calls, server);
        try {
            server.start();
            Files.setPosixFilePermissions(binding, PosixFilePermissions.fromString("rw-------"));
            Files.move(binding, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            started.close();
            Files.deleteIfExists(binding);
            throw e instanceof IOException io ? io : new IOException("cannot serve CRI on " + socket + ": " + e.getMessage(), e);
        }
        return started;
    }

    /** The socket clients connect to. */
    Path socket() {
        return socket;
    }

    /** Stops accepting calls, lets running ones finish for a few seconds, and removes the socket. */
    @Override
    public void close() throws IOException {
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            boss.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
            calls.shutdownNow();
            Files.deleteIfExists(socket);
        }
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.SEVERE);
        return logger;
    }

    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new IOException(path + " exists and is not a socket; refusing to replace it");
        }
        Files.delete(path);
    }

    private static boolean isSocket(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        // the file type bits (S_IFMT) say S_IFSOCK
        return (mode & 0170000) == 0140000;
    }
}
