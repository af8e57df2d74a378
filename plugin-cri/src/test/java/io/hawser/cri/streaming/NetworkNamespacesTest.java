package io.hawser.cri.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class NetworkNamespacesTest {

    private static final int PORT = 47123;

    @Test
    void connectsToTheLoopbackOfAnotherNetworkNamespaceAndLeavesTheCallersAlone() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "creating a network namespace needs root");
        String ownBefore = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        // a process of its own network namespace, whose loopback answers on PORT once
        Process pod = new ProcessBuilder("unshare", "--net", "sh", "-c", "ip link set lo up && exec perl -MIO::Socket::INET -e '"
                + "$s = IO::Socket::INET->new(LocalAddr => \"127.0.0.1\", LocalPort => " + PORT + ", Listen => 1, ReuseAddr => 1) or die;"
                + " print STDOUT \"listening\\n\"; STDOUT->flush; $c = $s->accept; print $c \"from the pod\\n\"; close $c'")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String ready = new String(pod.getInputStream().readNBytes("listening\n".length()), StandardCharsets.UTF_8);
            assumeTrue(ready.equals("listening\n"), "the namespace's listener did not start");
            Path namespace = Path.of("/proc/" + pod.pid() + "/ns/net");
            try (SocketChannel socket = NetworkNamespaces.connectToLoopback(Optional.of(namespace), PORT)) {
                assertEquals("from the pod\n", readAll(socket));
            }
            assertEquals(ownBefore, Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
        } finally {
            pod.destroy();
            pod.waitFor();
        }
    }

    @Test
    void aNamespaceThatIsNoneIsNamedInTheError() {
        IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> NetworkNamespaces.connectToLoopback(Optional.of(Path.of("/nonexistent/netns")), PORT));
        assertEquals("cannot open network namespace /nonexistent/netns: [2] No such file or directory", failure.getMessage());
    }

    private static String readAll(SocketChannel socket) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (socket.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                break;
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
