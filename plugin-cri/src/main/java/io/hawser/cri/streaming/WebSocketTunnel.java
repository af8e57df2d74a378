package io.hawser.cri.streaming;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

/**
 * A byte stream carried in binary WebSocket messages, both ways: client-go's port-forward over
 * WebSocket ({@code SPDY/3.1+portforward.k8s.io}) tunnels a whole SPDY session this way.
 */
final class WebSocketTunnel extends MessageToMessageCodec<BinaryWebSocketFrame, ByteBuf> {

    @Override
    protected void encode(ChannelHandlerContext context, ByteBuf bytes, List<Object> out) {
        out.add(new BinaryWebSocketFrame(bytes.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext context, BinaryWebSocketFrame message, List<Object> out) {
        out.add(message.content().retain());
    }
}
