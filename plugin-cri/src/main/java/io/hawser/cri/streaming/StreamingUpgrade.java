package io.hawser.cri.streaming;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;

/**
 * The HTTP request that opens a streaming URL: checks it, negotiates the protocol, redeems the
 * token and turns the connection into a SPDY or WebSocket session. The checks come before the
 * token is redeemed, so a client that got the headers wrong may try again with the same URL.
 */
final class StreamingUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PROTOCOL_HEADER = "X-Stream-Protocol-Version";
    static final String ACCEPTED_PROTOCOLS_HEADER = "X-Accepted-Stream-Protocol-Versions";
    static final String SPDY = "SPDY/3.1";
    static final String PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
    /** client-go's port-forward over WebSocket: a SPDY session inside binary messages. */
    static final String PORT_FORWARD_TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
    /** The channel protocol's port-forward form, as kubelet names it. */
    static final List<String> PORT_FORWARD_CHANNEL_PROTOCOLS = List.of("v4.channel.k8s.io", PORT_FORWARD_PROTOCOL);

    private static final int MAX_WEBSOCKET_MESSAGE = 1 << 20;

    private static final System.Logger LOG = System.getLogger(StreamingUpgrade.class.getName());

    private enum Transport { SPDY, WEBSOCKET }

    /** What the client gets once upgraded. */
    private sealed interface Plan {
        record RemoteCommand(RemoteCommandProtocol protocol) implements Plan {}
        record SpdyPortForward() implements Plan {}
        record TunnelledPortForward() implements Plan {}
        record ChannelPortForward(String protocol, List<Integer> queryPorts) implements Plan {}
    }

    private final StreamTokens tokens;
    private final StreamingBackend backend;
    private final Executor threads;

    StreamingUpgrade(StreamTokens tokens, StreamingBackend backend, Executor threads) {
        this.tokens = tokens;
        this.backend = backend;
        this.threads = threads;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            refuse(context, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: " + request.decoderResult().cause().getMessage());
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.POST)) {
            refuse(context, HttpResponseStatus.METHOD_NOT_ALLOWED, "streaming URLs are opened with GET or POST, not " + request.method());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String[] segments = uri.path().split("/");
        // "/exec/TOKEN" splits into "", "exec", "TOKEN"
        if (segments.length != 3 || !segments[0].isEmpty() || !List.of("exec", "attach", "portforward").contains(segments[1])) {
            refuse(context, HttpResponseStatus.NOT_FOUND, "no streaming endpoint at " + uri.path()
                    + "; streaming URLs are /exec/TOKEN, /attach/TOKEN and /portforward/TOKEN as the CRI call returned them");
            return;
        }
        String kind = segments[1];
        HttpHeaders headers = request.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        if (upgrade == null || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refuse(context, HttpResponseStatus.BAD_REQUEST, "a streaming URL must be opened with \"Connection: Upgrade\" and \"Upgrade: "
                    + SPDY + "\" or \"Upgrade: websocket\"; the request has " + (upgrade == null ? "no Upgrade header" : "no \"Connection: Upgrade\""));
            return;
        }
        Transport transport;
        if (upgrade.equalsIgnoreCase(SPDY)) {
            transport = Transport.SPDY;
        } else if (upgrade.equalsIgnoreCase("websocket")) {
            transport = Transport.WEBSOCKET;
        } else {
            refuse(context, HttpResponseStatus.BAD_REQUEST, "cannot upgrade to \"" + upgrade + "\"; this server speaks " + SPDY + " and websocket");
            return;
        }
        Plan plan = switch (transport) {
            case SPDY -> planSpdy(context, kind, offered(headers.getAll(PROTOCOL_HEADER)));
            case WEBSOCKET -> planWebSocket(context, kind, offered(headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)), uri);
        };
        if (plan == null) {
            return;
        }
        Optional<StreamRequest> redeemed = tokens.take(kind, segments[2]);
        if (redeemed.isEmpty()) {
            refuse(context, HttpResponseStatus.NOT_FOUND, "unknown, expired or already used streaming URL " + uri.path()
                    + "; a URL is good for one connection within " + StreamTokens.LIFETIME.toSeconds() + " s of the CRI call");
            return;
        }
        StreamRequest streamRequest = redeemed.get();
        if (plan instanceof Plan.ChannelPortForward(String _, List<Integer> queryPorts)
                && ((StreamRequest.PortForward) streamRequest).ports().isEmpty() && queryPorts.isEmpty()) {
            refuse(context, HttpResponseStatus.BAD_REQUEST, "port-forward over the WebSocket channel protocol needs its ports,"
                    + " in the PortForward call or as port= query parameters");
            return;
        }
        switch (transport) {
            case SPDY -> upgradeToSpdy(context, plan, streamRequest);
            case WEBSOCKET -> upgradeToWebSocket(context, request, plan, streamRequest);
        }
    }

    private Plan planSpdy(ChannelHandlerContext context, String kind, List<String> offered) {
        List<String> accepted = kind.equals("portforward") ? List.of(PORT_FORWARD_PROTOCOL)
                : RemoteCommandProtocol.OVER_SPDY.stream().map(protocol -> protocol.wireName).toList();
        // a client that names no protocol is an old one speaking the first version, as kubelet assumes
        Optional<String> chosen = offered.isEmpty() ? Optional.of(accepted.getLast()) : firstAccepted(offered, accepted);
        if (chosen.isEmpty()) {
            refuseProtocols(context, PROTOCOL_HEADER, offered, accepted);
            return null;
        }
        return kind.equals("portforward") ? new Plan.SpdyPortForward()
                : new Plan.RemoteCommand(RemoteCommandProtocol.named(chosen.get()));
    }

    private Plan planWebSocket(ChannelHandlerContext context, String kind, List<String> offered, QueryStringDecoder uri) {
        if (kind.equals("portforward")) {
            List<String> accepted = new ArrayList<>(List.of(PORT_FORWARD_TUNNEL_PROTOCOL));
            accepted.addAll(PORT_FORWARD_CHANNEL_PROTOCOLS);
            Optional<String> chosen = offered.isEmpty() ? Optional.of("") : firstAccepted(offered, accepted);
            if (chosen.isEmpty()) {
                refuseProtocols(context, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL.toString(), offered, accepted);
                return null;
            }
            if (chosen.get().equals(PORT_FORWARD_TUNNEL_PROTOCOL)) {
                return new Plan.TunnelledPortForward();
            }
            List<Integer> queryPorts = new ArrayList<>();
            for (String value : uri.parameters().getOrDefault("port", List.of())) {
                for (String port : value.split(",")) {
                    OptionalInt number = SpdyPortForward.parsePort(port);
                    if (number.isEmpty()) {
                        refuse(context, HttpResponseStatus.BAD_REQUEST, "invalid port query parameter \"" + port + "\": a port is a number from 1 to 65535");
                        return null;
                    }
                    queryPorts.add(number.getAsInt());
                }
            }
            return new Plan.ChannelPortForward(chosen.get(), queryPorts);
        }
        List<String> accepted = RemoteCommandProtocol.OVER_WEBSOCKET.stream().map(protocol -> protocol.wireName).toList();
        Optional<String> chosen = offered.isEmpty() ? Optional.of(RemoteCommandProtocol.V1.wireName) : firstAccepted(offered, accepted);
        if (chosen.isEmpty()) {
            refuseProtocols(context, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL.toString(), offered, accepted);
            return null;
        }
        return new Plan.RemoteCommand(RemoteCommandProtocol.named(chosen.get()));
    }

    private void upgradeToSpdy(ChannelHandlerContext context, Plan plan, StreamRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE).set(HttpHeaderNames.UPGRADE, SPDY);
        String protocol = switch (plan) {
            case Plan.RemoteCommand(RemoteCommandProtocol chosen) -> chosen.wireName;
            default -> PORT_FORWARD_PROTOCOL;
        };
        response.headers().set(PROTOCOL_HEADER, protocol);
        // encoded by the HTTP codec before it leaves the pipeline below
        context.writeAndFlush(response);
        ChannelPipeline pipeline = context.pipeline();
        pipeline.addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
        addSpdySession(context, plan, request);
        pipeline.remove(this);
        pipeline.remove(HttpObjectAggregator.class);
        pipeline.remove(HttpServerCodec.class);
    }

    private void addSpdySession(ChannelHandlerContext context, Plan plan, StreamRequest request) {
        if (request instanceof StreamRequest.PortForward portForward) {
            context.pipeline().addLast(new SpdyConnection(new SpdyPortForward(portForward, backend, threads)));
            return;
        }
        RemoteCommandProtocol protocol = ((Plan.RemoteCommand) plan).protocol();
        SpdyRemoteCommand session = new SpdyRemoteCommand(request, backend, protocol, threads);
        SpdyConnection connection = new SpdyConnection(session);
        context.pipeline().addLast(connection);
        session.awaitStreams(connection, context.executor());
    }

    private void upgradeToWebSocket(ChannelHandlerContext context, FullHttpRequest request, Plan plan, StreamRequest streamRequest) {
        String subprotocol = switch (plan) {
            case Plan.RemoteCommand(RemoteCommandProtocol chosen) -> request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL) ? chosen.wireName : null;
            case Plan.TunnelledPortForward() -> PORT_FORWARD_TUNNEL_PROTOCOL;
            case Plan.ChannelPortForward(String chosen, List<Integer> _) -> chosen.isEmpty() ? null : chosen;
            case Plan.SpdyPortForward() -> throw new IllegalStateException("a SPDY plan for a WebSocket request");
        };
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri(), subprotocol, false, MAX_WEBSOCKET_MESSAGE)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(context.channel());
            return;
        }
        ChannelPipeline pipeline = context.pipeline();
        // the handshake replaces the HTTP codec with WebSocket's and drops the aggregator
        handshaker.handshake(context.channel(), request);
        pipeline.addLast(new WebSocketFrameAggregator(MAX_WEBSOCKET_MESSAGE), new WebSocketControl());
        switch (plan) {
            case Plan.TunnelledPortForward() -> {
                pipeline.addLast(new WebSocketTunnel(), new SpdyFrameCodec(SpdyVersion.SPDY_3_1),
                        new SpdyConnection(new SpdyPortForward((StreamRequest.PortForward) streamRequest, backend, threads)));
            }
            case Plan.ChannelPortForward(String _, List<Integer> queryPorts) -> {
                StreamRequest.PortForward portForward = (StreamRequest.PortForward) streamRequest;
                List<Integer> ports = portForward.ports().isEmpty() ? queryPorts : portForward.ports();
                WebSocketChannels channels = new WebSocketChannels(context.channel(), false);
                List<ClientInput> inputs = new ArrayList<>();
                for (int i = 0; i < ports.size(); i++) {
                    inputs.add(channels.input(2 * i));
                }
                pipeline.addLast(channels);
                WebSocketSessions.startPortForward(portForward, ports, inputs, channels, backend, threads);
            }
            case Plan.RemoteCommand(RemoteCommandProtocol protocol) -> {
                WebSocketChannels channels = new WebSocketChannels(context.channel(), protocol == RemoteCommandProtocol.V5);
                RemoteCommandSession.Streams streams = WebSocketSessions.remoteCommandStreams(streamRequest, channels);
                pipeline.addLast(channels);
                threads.execute(new RemoteCommandSession(streamRequest, backend, protocol, streams, channels, threads));
            }
            case Plan.SpdyPortForward() -> throw new IllegalStateException("a SPDY plan for a WebSocket request");
        }
        pipeline.remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "closing a streaming connection after an error", cause);
        context.close();
    }

    /** The protocols a client offers, in its order of preference, from repeated or comma-separated headers. */
    private static List<String> offered(List<String> headerValues) {
        return headerValues.stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::strip)
                .filter(name -> !name.isEmpty()).toList();
    }

    private static Optional<String> firstAccepted(List<String> offered, List<String> accepted) {
        return offered.stream().filter(accepted::contains).findFirst();
    }

    private static void refuseProtocols(ChannelHandlerContext context, String header, List<String> offered, List<String> accepted) {
        FullHttpResponse response = textResponse(HttpResponseStatus.BAD_REQUEST, "no protocol in common: the client offers "
                + offered + " in " + header + ", this server accepts " + accepted);
        response.headers().set(ACCEPTED_PROTOCOLS_HEADER, String.join(", ", accepted));
        context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static void refuse(ChannelHandlerContext context, HttpResponseStatus status, String message) {
        context.writeAndFlush(textResponse(status, message)).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse textResponse(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
