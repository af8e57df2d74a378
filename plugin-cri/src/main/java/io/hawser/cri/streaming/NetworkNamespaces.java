package io.hawser.cri.streaming;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Connects to a port of a pod's loopback interface. A socket belongs to the network namespace it
 * was created in, whichever thread uses it later, so the socket is created by a thread that has
 * joined the pod's namespace with {@code setns(2)} for just that long.
 */
final class NetworkNamespaces {

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int O_RDONLY = 0;
        int O_CLOEXEC = 0x80000;
        int CLONE_NEWNET = 0x40000000;

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int namespaceType) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final System.Logger LOG = System.getLogger(NetworkNamespaces.class.getName());

    private NetworkNamespaces() {}

    /**
     * Connects to {@code localhost:port} in {@code namespace}, or in the daemon's own network when
     * it is empty, trying each address of {@code localhost} (IPv4 and IPv6) in turn.
     */
    static SocketChannel connectToLoopback(Optional<Path> namespace, int port) throws IOException {
        if (namespace.isEmpty()) {
            return connectToLoopback(port);
        }
        Path file = namespace.get();
        // a thread of its own: it ends after the connect, so even a failed return to the daemon's
        // namespace cannot leak the pod's network into other work
        FutureTask<SocketChannel> connect = new FutureTask<>(() -> {
            int own = open(Path.of("/proc/thread-self/ns/net"));
            try {
                int pods = open(file);
                try {
                    join(pods, file);
                } finally {
                    LibC.INSTANCE.close(pods);
                }
                SocketChannel socket = connectToLoopback(port);
                try {
                    join(own, Path.of("/proc/thread-self/ns/net"));
                } catch (IOException e) {
                    // the socket is good and this thread ends now, taking the pod's namespace with it
                    LOG.log(System.Logger.Level.WARNING, "cannot return a thread to the daemon's network namespace", e);
                }
                return socket;
            } finally {
                LibC.INSTANCE.close(own);
            }
        });
        Thread.ofPlatform().name("hawser-netns-connect").start(connect);
        try {
            return connect.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to port " + port + " in " + file, e);
        }
    }

    private static SocketChannel connectToLoopback(int port) throws IOException {
        IOException refused = null;
        for (InetAddress address : InetAddress.getAllByName("localhost")) {
            SocketChannel socket = SocketChannel.open();
            try {
                socket.connect(new InetSocketAddress(address, port));
                return socket;
            } catch (IOException e) {
                socket.close();
                if (refused == null) {
                    refused = new IOException("cannot connect to localhost:" + port + ": " + e.getMessage(), e);
                } else {
                    refused.addSuppressed(e);
                }
            }
        }
        throw refused;
    }

    private static int open(Path file) throws IOException {
        try {
            return LibC.INSTANCE.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open network namespace " + file + ": " + e.getMessage(), e);
        }
    }

    private static void join(int fd, Path file) throws IOException {
        try {
            LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw new IOException("cannot enter network namespace " + file + ": " + e.getMessage(), e);
        }
    }
}
