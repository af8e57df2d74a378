package io.hawser.cri.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

/**
 * Forwards the client's connections to ports of one pod: each pair of a data and an error stream
 * is one connection to {@code localhost:port} in the pod's network namespace, pumped both ways on
 * platform threads until the pod's side ends. A failure is told on the error stream as text.
 */
final class PortForwarding {

    private static final System.Logger LOG = System.getLogger(PortForwarding.class.getName());

    private final StreamRequest.PortForward request;
    private final StreamingBackend backend;
    private final ClientConnection connection;
    private final Executor threads;

    PortForwarding(StreamRequest.PortForward request, StreamingBackend backend, ClientConnection connection, Executor threads) {
        this.request = request;
        this.backend = backend;
        this.connection = connection;
        this.threads = threads;
    }

    /** Forwards one connection; blocks until it ends, then ends both streams. */
    void forward(int port, ClientInput fromClient, ClientOutput toClient, ClientOutput errors) {
        try (SocketChannel socket = NetworkNamespaces.connectToLoopback(backend.networkNamespace(request.podSandboxId()), port)) {
            connection.onClose(() -> closeQuietly(socket));
            threads.execute(() -> copyToPod(fromClient, socket));
            ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
            while (socket.read(buffer) >= 0) {
                toClient.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (IOException e) {
            tell(errors, "error forwarding port " + port + " to pod " + request.podSandboxId() + ": " + e.getMessage());
        } finally {
            toClient.close();
            errors.close();
        }
    }

    /** Writes why a forwarding failed to its error stream, as text. */
    static void tell(ClientOutput errors, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            errors.write(bytes, 0, bytes.length);
        } catch (IOException unreported) {
            LOG.log(System.Logger.Level.DEBUG, "the client went before learning: " + message, unreported);
        }
    }

    private static void copyToPod(InputStream fromClient, SocketChannel socket) {
        byte[] buffer = new byte[32 * 1024];
        try {
            for (int read = fromClient.read(buffer); read >= 0; read = fromClient.read(buffer)) {
                ByteBuffer data = ByteBuffer.wrap(buffer, 0, read);
                while (data.hasRemaining()) {
                    socket.write(data);
                }
            }
            // the client is done sending; the pod may still answer
            socket.shutdownOutput();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "stopped forwarding to the pod", e);
        }
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot close a forwarded connection", e);
        }
    }
}
