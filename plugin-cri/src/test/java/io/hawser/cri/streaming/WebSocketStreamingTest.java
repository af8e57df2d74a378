package io.hawser.cri.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketStreamingTest {

    /** Binary messages as they arrive, and how the connection closed. */
    private static final class Messages implements WebSocket.Listener {
        final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                received.add(partial.toByteArray());
                partial.reset();
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            closed.complete(status);
            return null;
        }

        /** The next message, whose first byte must be {@code channel}, without that byte. */
        byte[] nextBytes(int channel) throws InterruptedException {
            byte[] message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message on channel " + channel + " in 10 s");
            }
            assertEquals(channel, message[0] & 0xff, "channel of " + new String(message, StandardCharsets.UTF_8));
            return java.util.Arrays.copyOfRange(message, 1, message.length);
        }

        String next(int channel) throws InterruptedException {
            return new String(nextBytes(channel), StandardCharsets.UTF_8);
        }
    }

    private final FakeBackend backend = new FakeBackend();
    private final HttpClient http = HttpClient.newHttpClient();
    private StreamingServer server;

    @BeforeEach
    void start() throws Exception {
        backend.running.put("c1", new FakeProcess(true));
        server = StreamingServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backend, Duration.ofHours(4));
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private WebSocket connect(URI url, Messages messages, String... subprotocols) throws Exception {
        URI ws = URI.create(url.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(ws, messages).get(10, TimeUnit.SECONDS);
    }

    private static ByteBuffer message(int channel, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + bytes.length).put((byte) channel).put(bytes);
        return buffer.flip();
    }

    private static JsonNode json(String text) throws Exception {
        return new ObjectMapper().readTree(text);
    }

    @Test
    void execOverV5PassesStdinUntilTheCloseMessageAndReportsTheStatus() throws Exception {
        URI url = server.register(new StreamRequest.Exec("c1", List.of("cat"), false, true, true, false));
        Messages messages = new Messages();
        WebSocket socket = connect(url, messages, "v5.channel.k8s.io", "v4.channel.k8s.io");
        assertEquals("v5.channel.k8s.io", socket.getSubprotocol());
        assertEquals("", messages.next(1), "an empty first message says the session is ready");
        socket.sendBinary(message(0, "hello"), true).get();
        assertEquals("hello", messages.next(1));
        socket.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).get();
        assertEquals("Success", json(messages.next(3)).path("status").asText());
        assertEquals(WebSocket.NORMAL_CLOSURE, messages.closed.get(10, TimeUnit.SECONDS));
        assertEquals("hello", backend.lastExec.input());
    }

    @Test
    void execOverV4ReportsANonZeroExitCode() throws Exception {
        backend.programs = command -> new FakeProcess(false)
                .emit(io.hawser.runtime.Attachment.Stream.STDERR, "oops").exit(7);
        URI url = server.register(new StreamRequest.Exec("c1", List.of("false"), false, false, true, true));
        Messages messages = new Messages();
        WebSocket socket = connect(url, messages, "v4.channel.k8s.io");
        assertEquals("v4.channel.k8s.io", socket.getSubprotocol());
        assertEquals("", messages.next(1));
        assertEquals("oops", messages.next(2));
        JsonNode status = json(messages.next(3));
        assertEquals("NonZeroExitCode", status.path("reason").asText());
        assertEquals("7", status.path("details").path("causes").get(0).path("message").asText());
        messages.closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void terminalResizesArriveOnChannelFour() throws Exception {
        URI url = server.register(new StreamRequest.Exec("c1", List.of("sh"), true, true, true, false));
        Messages messages = new Messages();
        WebSocket socket = connect(url, messages, "v5.channel.k8s.io");
        messages.next(1);
        socket.sendBinary(message(4, "{\"Width\":132,\"Height\":50}"), true).get();
        SpdyStreamingTest.waitUntil(() -> backend.lastExec != null && !backend.lastExec.resizes.isEmpty());
        assertEquals(List.of(List.of(132, 50)), backend.lastExec.resizes);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get();
    }

    @Test
    void portForwardChannelsStartWithThePortAndCarryTheConnection() throws Exception {
        backend.pods.put("pod1", Optional.empty());
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> SpdyStreamingTest.answerOnce(listener));
            int port = listener.getLocalPort();
            URI url = server.register(new StreamRequest.PortForward("pod1", List.of(port)));
            Messages messages = new Messages();
            WebSocket socket = connect(url, messages, "v4.channel.k8s.io");
            byte[] portBytes = {(byte) port, (byte) (port >>> 8)};
            assertArrayEquals(portBytes, messages.nextBytes(0));
            assertArrayEquals(portBytes, messages.nextBytes(1));
            socket.sendBinary(message(0, "ping\n"), true).get();
            assertEquals("pong: ping\n", messages.next(0));
            assertEquals(WebSocket.NORMAL_CLOSURE, messages.closed.get(10, TimeUnit.SECONDS), "closes when the pod's side has");
        }
    }

    @Test
    void portForwardTunnelsASpdySessionInBinaryMessages() throws Exception {
        backend.pods.put("pod1", Optional.empty());
        EventLoopGroup group = new NioEventLoopGroup(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> SpdyStreamingTest.answerOnce(listener));
            String port = Integer.toString(listener.getLocalPort());
            URI url = server.register(new StreamRequest.PortForward("pod1", List.of()));
            // the JDK's client refuses "/" in a subprotocol, so this client is Netty's, with the
            // server's own tunnel codec under a SPDY framer once upgraded, as client-go stacks them
            CompletableFuture<Void> upgraded = new CompletableFuture<>();
            CompletableFuture<String> data = new CompletableFuture<>();
            StringBuilder received = new StringBuilder();
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                            new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                    URI.create(url.toString().replaceFirst("^http", "ws")), WebSocketVersion.V13,
                                    "SPDY/3.1+portforward.k8s.io", false, EmptyHttpHeaders.INSTANCE)),
                            new ChannelInboundHandlerAdapter() {
                                @Override
                                public void userEventTriggered(ChannelHandlerContext context, Object event) {
                                    if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                        // only now: the framer would refuse the handshake's HTTP request on its way out
                                        context.pipeline().addBefore(context.name(), null, new WebSocketTunnel());
                                        context.pipeline().addBefore(context.name(), null, new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                                        upgraded.complete(null);
                                    }
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext context, Object frame) {
                                    if (frame instanceof SpdyDataFrame chunk && chunk.streamId() == 3) {
                                        received.append(chunk.content().toString(StandardCharsets.UTF_8));
                                        if (chunk.isLast()) {
                                            data.complete(received.toString());
                                        }
                                    }
                                    ReferenceCountUtil.release(frame);
                                }
                            });
                }
            }).connect(url.getHost(), url.getPort()).sync().channel();
            upgraded.get(10, TimeUnit.SECONDS);
            for (int id : new int[] {1, 3}) {
                DefaultSpdySynStreamFrame open = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
                open.headers().set("streamtype", id == 1 ? "error" : "data").set("port", port).set("requestid", "0");
                channel.writeAndFlush(open);
            }
            channel.writeAndFlush(new DefaultSpdyDataFrame(3, Unpooled.copiedBuffer("ping\n", StandardCharsets.UTF_8)).setLast(true));
            assertEquals("pong: ping\n", data.get(10, TimeUnit.SECONDS));
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSubprotocolNotSpokenHereGets400() throws Exception {
        URI url = server.register(new StreamRequest.Exec("c1", List.of("cat"), false, true, true, false));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> connect(url, new Messages(), "base64.channel.k8s.io"));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        assertEquals(400, handshake.getResponse().statusCode());
        assertEquals("v5.channel.k8s.io, v4.channel.k8s.io, channel.k8s.io",
                handshake.getResponse().headers().firstValue("X-Accepted-Stream-Protocol-Versions").orElseThrow());
    }
}
