package io.hawser.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.security.jca.Providers;

/** The client's socket opened the short way (the tests run with bin/hawser's exports), and the JDK's providers untouched after. */
class UnixSocketsTest {

    @TempDir
    Path directory;

    @Test
    void opensAChannelThatTalksToAUnixSocket() throws IOException {
        Path socket = directory.resolve("hawser.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = UnixSockets.open()) {
                client.connect(UnixDomainSocketAddress.of(socket));
                try (SocketChannel accepted = server.accept()) {
                    client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    ByteBuffer read = ByteBuffer.allocate(3);
                    while (read.hasRemaining()) {
                        accepted.read(read);
                    }
                    assertArrayEquals(new byte[] {1, 2, 3}, read.array());
                }
            }
        }
    }

    @Test
    void aClientsWholeExchangeStartsNoSecurityProviderOfTheJdk() throws Exception {
        Path socket = directory.resolve("stand-in.sock");
        Thread standIn = Thread.ofPlatform().start(() -> {
            try {
                CacheTraining.main(new String[] {socket.toString()});
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (!Files.exists(socket) && standIn.isAlive()) {
            Thread.onSpinWait();
        }
        Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/sun.security.jca=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), HawserCli.class.getName(),
                "--address", socket.toString(), "version")
                .redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, client.waitFor(), output);
        standIn.join();
        assertTrue(output.contains("training: version"), output);
        assertTrue(output.contains(" io.hawser.cli.UnixSockets$UrandomProvider "), "the short way was taken");
        assertFalse(output.contains(" sun.security.provider.Sun "), "the JDK's SUN provider was started");
    }

    @Test
    void leavesTheThreadOnTheJdksOwnProviders() throws Exception {
        UnixSockets.open().close();

        assertNull(Providers.getThreadProviderList(), "the thread's provider list is gone again");
        assertEquals("SUN", SecureRandom.getInstance("NativePRNGNonBlocking").getProvider().getName());
    }
}
