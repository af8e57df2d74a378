package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.hawser.cri.api.v1.RuntimeServiceGrpc;
import io.hawser.cri.api.v1.VersionRequest;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.hawser.cri.cni.Cni;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriServerTest {

    @TempDir
    Path directory;

    private final CriRuntimeService runtime = new CriRuntimeService("1.0.0", new RuntimeHandlers(),
            new CriSettings(Path.of("unused"), "127.0.0.1:0", "runc", Path.of("/nonexistent"), List.of()),
            new PodSandboxes(new MemorySandboxStore(), Path.of("/nonexistent"), Path.of("/nonexistent"), new Cni(List.of()), Path.of("/nonexistent"),
                    Path.of("/nonexistent")), null, null, null, null);

    @Test
    void servesOnAnOwnerOnlySocketAndRemovesItOnClose() throws Exception {
        Path socket = directory.resolve("run/cri.sock");
        try (CriServer server = CriServer.start(socket, List.of(runtime.definition()))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            assertFalse(Files.exists(socket.resolveSibling(".cri.sock.binding")), "bound under a temporary name, then renamed");
            assertEquals("hawser", version(socket));
        }
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aSocketLeftByACrashIsReplaced() throws Exception {
        Path socket = directory.resolve("cri.sock");
        // a bound socket whose server is gone, as a killed daemon leaves it
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        try (CriServer again = CriServer.start(socket, List.of(runtime.definition()))) {
            assertEquals("hawser", version(socket));
        }
    }

    @Test
    void aFileInTheWayIsNotTouched() throws Exception {
        Path socket = Files.writeString(directory.resolve("cri.sock"), "precious");
        IOException refused = assertThrows(IOException.class, () -> CriServer.start(socket, List.of(runtime.definition())));
        assertTrue(refused.getMessage().contains("is not a socket"), refused.getMessage());
        assertEquals("precious", Files.readString(socket));
    }

    private static String version(Path socket) throws InterruptedException {
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        ManagedChannel channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
        try {
            return RuntimeServiceGrpc.newBlockingStub(channel).version(VersionRequest.getDefaultInstance()).getRuntimeName();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
