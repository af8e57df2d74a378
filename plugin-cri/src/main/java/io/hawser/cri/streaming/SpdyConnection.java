package io.hawser.cri.streaming;

import java.util.HashMap;
import java.util.Map;

import java.util.Objects;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;

/**
 * The server side of a SPDY/3.1 session as Kubernetes clients use it: the client opens every
 * stream and a {@link SpdySession} decides what it is for; a stream it keeps is answered with a
 * reply at once (the client waits for it before sending), one it refuses with a reset.
 *
 * <p>There is no flow control: Go's SPDY library neither sends nor honours window updates, so a
 * server that waited for them would stall after the first 64 KiB. Back-pressure comes from TCP
 * instead ({@link ClientInput}, {@link ClientOutput#send}).
 */
final class SpdyConnection extends SimpleChannelInboundHandler<SpdyFrame> implements ClientConnection {

    /** The header naming what a stream carries; Go writes header names in lower case. */
    static final String STREAM_TYPE = "streamtype";

    private static final System.Logger LOG = System.getLogger(SpdyConnection.class.getName());

    private final Map<Integer, SpdyStream> streams = new HashMap<>();
    private final CloseActions closeActions = new CloseActions();
    private final SpdySession session;
    private ChannelHandlerContext context;
    private int lastStreamId;

    SpdyConnection(SpdySession session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.context = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, SpdyFrame frame) {
        switch (frame) {
            case SpdySynStreamFrame open -> open(open);
            case SpdyDataFrame data -> {
                SpdyStream stream = streams.get(data.streamId());
                if (stream != null) {
                    stream.input().offer(data.content());
                    if (data.isLast()) {
                        stream.input().end();
                    }
                }
            }
            case SpdyRstStreamFrame reset -> {
                SpdyStream stream = streams.remove(reset.streamId());
                if (stream != null) {
                    stream.reset();
                }
            }
            // a ping the client started has an odd id and wants an echo; ours would be even, and we send none
            case SpdyPingFrame ping when (ping.id() & 1) == 1 -> context.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
            // window updates, settings, headers and the client's go-away change nothing here
            default -> { }
        }
    }

    private void open(SpdySynStreamFrame frame) {
        int id = frame.streamId();
        if (frame.isInvalid() || streams.containsKey(id)) {
            context.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
            return;
        }
        lastStreamId = Math.max(lastStreamId, id);
        SpdyStream stream = new SpdyStream(context.channel(), id, frame.headers());
        streams.put(id, stream);
        if (frame.isLast()) {
            stream.input().end();
        }
        session.streamOpened(this, stream);
        // a session's threads write through the event loop, after this task: the reply comes first
        if (streams.containsKey(id)) {
            DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
            // Netty encodes an empty header block as no bytes at all, where Go's framer reads a
            // compressed count of pairs and stalls; one header, the stream's own type, avoids that
            reply.headers().set(STREAM_TYPE, Objects.requireNonNullElse(stream.header(STREAM_TYPE), ""));
            context.writeAndFlush(reply);
        }
    }

    /** Refuses a stream the session has no use for. */
    void refuse(SpdyStream stream) {
        streams.remove(stream.id());
        stream.reset();
        context.writeAndFlush(new DefaultSpdyRstStreamFrame(stream.id(), SpdyStreamStatus.REFUSED_STREAM));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        streams.values().forEach(stream -> stream.input().end());
        closeActions.runAll();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "closing a streaming connection after an error", cause);
        context.close();
    }

    @Override
    public void onClose(Runnable action) {
        closeActions.add(action);
    }

    @Override
    public void close() {
        if (!context.channel().isActive()) {
            return;
        }
        // queued behind the frames already written, so the go-away and the close come after them
        context.channel().writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId)).addListener(ChannelFutureListener.CLOSE);
    }
}
