package io.hawser.cri.streaming;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.hawser.errors.HawserException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The HTTP server behind the URLs that the CRI calls {@code Exec}, {@code Attach} and
 * {@code PortForward} return, speaking what kubelet's streaming server speaks: an upgrade to
 * SPDY/3.1 with Kubernetes' remote command protocols v1 to v4 and port-forward, or to WebSocket
 * with the channel protocol v1, v4 and v5 and port-forward either tunnelled as SPDY or in the
 * channel form.
 *
 * <p>Each URL is single use and expires after a minute. The server has no authentication of its
 * own: whoever holds a URL may use it, so it should listen on loopback (the default) or on an
 * address only the API server reaches.
 */
public final class StreamingServer implements AutoCloseable {

    private static final long SHUTDOWN_SECONDS = 5;

    private final InetSocketAddress address;
    private final StreamTokens tokens;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService threads;
    private final ChannelGroup connections;

    private StreamingServer(InetSocketAddress address, StreamTokens tokens, EventLoopGroup boss, EventLoopGroup workers,
            ExecutorService threads, ChannelGroup connections) {
        this.address = address;
        this.tokens = tokens;
        this.boss = boss;
        this.workers = workers;
        this.threads = threads;
        this.connections = connections;
    }

    /**
     * Listens on {@code address} (port 0 picks a free one) and serves the requests registered
     * later through {@code backend}.
     *
     * @param idleTimeout how long a connection may pass without a byte either way before it is
     *                    closed, as containerd's {@code stream_idle_timeout}; zero for never
     * @throws IOException when binding fails
     */
    public static StreamingServer start(InetSocketAddress address, StreamingBackend backend, Duration idleTimeout) throws IOException {
        return start(address, backend, idleTimeout, InstantSource.system());
    }

    /** As {@link #start(InetSocketAddress, StreamingBackend, Duration)}, with the clock that expires tokens. */
    static StreamingServer start(InetSocketAddress address, StreamingBackend backend, Duration idleTimeout, InstantSource clock)
            throws IOException {
        StreamTokens tokens = new StreamTokens(clock);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        // process output and sockets are read with blocking calls, some in native code: platform threads
        ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().name("hawser-streaming-", 0).daemon().factory());
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Channel listening;
        try {
            listening = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel connection) {
                            connections.add(connection);
                            if (!idleTimeout.isZero()) {
                                // first in the pipeline, so the upgrades to SPDY and WebSocket keep them
                                connection.pipeline().addLast(new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                                        new IdleClose());
                            }
                            connection.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                    new StreamingUpgrade(tokens, backend, threads));
                        }
                    })
                    .bind(address).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            threads.shutdownNow();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot serve streaming on " + address + ": " + e.getMessage(), e);
        }
        connections.add(listening);
        InetSocketAddress bound = (InetSocketAddress) listening.localAddress();
        return new StreamingServer(new InetSocketAddress(address.getAddress(), bound.getPort()), tokens, boss, workers, threads, connections);
    }

    /**
     * Parses the {@code host:port} of the configuration ({@code [v6address]:port} for IPv6).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static InetSocketAddress parseAddress(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("streaming address must be host:port, got \"" + hostAndPort + "\"");
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("streaming address must end in a port number, got \"" + hostAndPort + "\"", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("streaming port must be 0..65535, got " + port);
        }
        return new InetSocketAddress(host, port);
    }

    /** Where the server listens, with the port it got. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Keeps {@code request} for its client and returns the URL the client opens:
     * {@code http://HOST:PORT/KIND/TOKEN}, good for one connection within a minute.
     *
     * @throws HawserException {@code UNAVAILABLE} when too many URLs wait for their clients
     */
    public URI register(StreamRequest request) throws HawserException {
        String token = tokens.add(request);
        String host = address.getAddress().getHostAddress();
        try {
            return new URI("http", null, host, address.getPort(), "/" + request.kind() + "/" + token, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("an address and a base64url token always make a URI", e);
        }
    }

    /** Stops listening and ends every session: their clients see the connection close. */
    @Override
    public void close() {
        // closed connections detach their sessions, whose threads then end; the event loops go
        // last, since those threads still hand their final writes to them
        connections.close().awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        threads.shutdownNow();
        try {
            threads.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes a connection its {@link IdleStateHandler} found idle; the sessions end as on any disconnect. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
            if (event instanceof IdleStateEvent) {
                context.close();
            } else {
                super.userEventTriggered(context, event);
            }
        }
    }
}
