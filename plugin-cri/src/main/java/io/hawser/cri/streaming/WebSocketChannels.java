package io.hawser.cri.streaming;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Kubernetes' channel protocol over WebSocket: every binary message starts with the number of
 * the channel it belongs to. The inputs are registered before the handler is added; the session
 * writes to {@link #output(int)}s.
 */
final class WebSocketChannels extends SimpleChannelInboundHandler<BinaryWebSocketFrame> implements ClientConnection {

    /** v5's message that ends a channel's input: this byte, then the channel's number. */
    static final int CLOSE_CHANNEL = 255;

    private static final System.Logger LOG = System.getLogger(WebSocketChannels.class.getName());

    private static final int MAX_MESSAGE = 32 * 1024;

    private final Channel connection;
    private final boolean closeMessages;
    private final Map<Integer, ClientInput> inputs = new HashMap<>();
    private final CloseActions closeActions = new CloseActions();

    /** {@code closeMessages}: whether the protocol (v5) lets the client end a channel's input. */
    WebSocketChannels(Channel connection, boolean closeMessages) {
        this.connection = connection;
        this.closeMessages = closeMessages;
    }

    /** A new input for what the client sends on {@code channel}; call before the handler is added. */
    ClientInput input(int channel) {
        ClientInput input = new ClientInput(connection);
        inputs.put(channel, input);
        return input;
    }

    /**
     * The way to the client on {@code channel}. Closing it does nothing: the channel protocol
     * ends a channel only with the connection.
     */
    ClientOutput output(int channel) {
        return new ClientOutput() {
            @Override
            public void write(byte[] data, int offset, int length) throws IOException {
                int sent = 0;
                do {
                    int size = Math.min(MAX_MESSAGE, length - sent);
                    ByteBuf message = Unpooled.buffer(1 + size).writeByte(channel).writeBytes(data, offset + sent, size);
                    ClientOutput.send(connection, new BinaryWebSocketFrame(message));
                    sent += size;
                } while (sent < length);
            }

            @Override
            public void close() {
        if (!connection.isActive()) {
            return;
        }
            }
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, BinaryWebSocketFrame message) {
        ByteBuf content = message.content();
        if (!content.isReadable()) {
            return;
        }
        int channel = content.readUnsignedByte();
        if (channel == CLOSE_CHANNEL && closeMessages) {
            ClientInput ended = content.isReadable() ? inputs.get((int) content.readUnsignedByte()) : null;
            if (ended != null) {
                ended.end();
            }
            return;
        }
        ClientInput input = inputs.get(channel);
        if (input != null) {
            input.offer(content);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        inputs.values().forEach(ClientInput::end);
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
        // a normal closure tells client-go that every channel ended without error
        connection.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
