package io.hawser.cri.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A connection that carries nothing for the idle timeout is closed by the server; without one it stays. */
class StreamingIdleTimeoutTest {

    private static Socket connect(StreamingServer server) throws Exception {
        Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
        socket.setSoTimeout(5_000);
        return socket;
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (StreamingServer server = StreamingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new FakeBackend(), Duration.ofMillis(300));
             Socket socket = connect(server)) {
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "the server closes the idle connection");
        }
    }

    @Test
    void withoutATimeoutAnIdleConnectionStays() throws Exception {
        try (StreamingServer server = StreamingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new FakeBackend(), Duration.ZERO);
             Socket socket = connect(server)) {
            socket.setSoTimeout(1_000);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        }
    }
}
