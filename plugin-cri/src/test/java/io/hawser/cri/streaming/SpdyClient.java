package io.hawser.cri.streaming;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;

/** The client side of a Kubernetes SPDY streaming connection, as client-go's behaves, for tests. */
final class SpdyClient implements AutoCloseable {

    /** One stream the client opened. */
    final class Stream {
        final int id;
        final CompletableFuture<Void> replied = new CompletableFuture<>();
        volatile String replyStreamType;
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile boolean reset;

        Stream(int id) {
            this.id = id;
        }

        synchronized String received() {
            return received.toString(StandardCharsets.UTF_8);
        }

        Stream write(String text) {
            channel.writeAndFlush(new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
            return this;
        }

        /** Ends what the client sends on this stream. */
        void close() {
            channel.writeAndFlush(new DefaultSpdyDataFrame(id).setLast(true));
        }

        /** Everything the server sent, once it ended the stream. */
        String readAll() throws Exception {
            return ended.get(10, TimeUnit.SECONDS);
        }

        private synchronized void append(SpdyDataFrame frame) {
            received.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(frame.content()));
        }
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    final CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    final CompletableFuture<Integer> pong = new CompletableFuture<>();
    volatile boolean goneAway;
    private final Channel channel;
    private int nextStreamId = 1;

    private SpdyClient(URI uri, Map<String, String> headers) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext context, Object message) {
                        if (message instanceof FullHttpResponse http) {
                            if (http.status().code() == 101) {
                                context.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1), new Frames());
                                context.pipeline().remove(HttpObjectAggregator.class);
                                context.pipeline().remove(HttpClientCodec.class);
                                context.pipeline().remove(this);
                            }
                            response.complete(http.retainedDuplicate());
                            http.release();
                        } else {
                            context.fireChannelRead(message);
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext context) {
                        closed.complete(null);
                        response.completeExceptionally(new IOException("closed before a response"));
                        context.fireChannelInactive();
                    }
                });
            }
        }).connect(uri.getHost(), uri.getPort()).sync().channel();
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri.getRawPath());
        request.headers().set("Host", uri.getHost() + ":" + uri.getPort()).set("Content-Length", 0);
        headers.forEach(request.headers()::add);
        channel.writeAndFlush(request);
    }

    /** Connects and upgrades, offering {@code protocols}. */
    static SpdyClient upgrade(URI uri, String... protocols) throws Exception {
        SpdyClient client = new SpdyClient(uri, Map.of("Connection", "Upgrade", "Upgrade", "SPDY/3.1",
                "X-Stream-Protocol-Version", String.join(",", protocols)));
        client.response.get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Sends a request with exactly {@code headers}, for the failures. */
    static SpdyClient request(URI uri, Map<String, String> headers) throws Exception {
        SpdyClient client = new SpdyClient(uri, headers);
        client.response.get(10, TimeUnit.SECONDS);
        return client;
    }

    int status() {
        return response.join().status().code();
    }

    String header(String name) {
        return response.join().headers().get(name);
    }

    String body() {
        return response.join().content().toString(StandardCharsets.UTF_8);
    }

    /** Opens a stream with the headers (lower-case names, as Go writes them) and waits for the reply. */
    Stream open(Map<String, String> headers) throws Exception {
        Stream stream;
        synchronized (this) {
            stream = new Stream(nextStreamId);
            nextStreamId += 2;
        }
        streams.put(stream.id, stream);
        DefaultSpdySynStreamFrame frame = new DefaultSpdySynStreamFrame(stream.id, 0, (byte) 0);
        headers.forEach(frame.headers()::set);
        channel.writeAndFlush(frame);
        stream.replied.get(10, TimeUnit.SECONDS);
        return stream;
    }

    Stream open(String streamType) throws Exception {
        return open(Map.of("streamtype", streamType));
    }

    void ping(int id) {
        channel.writeAndFlush(new DefaultSpdyPingFrame(id));
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private final class Frames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            try {
                switch (message) {
                    case SpdySynReplyFrame reply -> {
                        Stream stream = streams.get(reply.streamId());
                        stream.replyStreamType = reply.headers().getAsString("streamtype");
                        stream.replied.complete(null);
                    }
                    case SpdyDataFrame data -> {
                        Stream stream = streams.get(data.streamId());
                        stream.append(data);
                        if (data.isLast()) {
                            stream.ended.complete(stream.received());
                        }
                    }
                    case SpdyRstStreamFrame reset -> {
                        Stream stream = streams.get(reset.streamId());
                        stream.reset = true;
                        stream.replied.complete(null);
                        stream.ended.complete(stream.received());
                    }
                    case SpdyPingFrame ping -> pong.complete(ping.id());
                    case SpdyGoAwayFrame _ -> goneAway = true;
                    default -> { }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            streams.values().forEach(stream -> stream.ended.complete(stream.received()));
            closed.complete(null);
        }
    }
}
