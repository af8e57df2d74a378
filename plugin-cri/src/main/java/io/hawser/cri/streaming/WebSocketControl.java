package io.hawser.cri.streaming;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The WebSocket frames every streaming connection treats alike: pings are answered (client-go
 * closes a connection whose pongs stop), a close is echoed, and text is refused since every
 * protocol offered here is binary. Binary messages, whole, go on.
 */
final class WebSocketControl extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        switch (message) {
            case BinaryWebSocketFrame binary -> context.fireChannelRead(binary);
            case PingWebSocketFrame ping -> context.writeAndFlush(new PongWebSocketFrame(ping.content()));
            case CloseWebSocketFrame close -> context.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
            case WebSocketFrame other -> {
                ReferenceCountUtil.release(other);
                context.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
                        "only binary messages are used")).addListener(ChannelFutureListener.CLOSE);
            }
            default -> context.fireChannelRead(message);
        }
    }
}
