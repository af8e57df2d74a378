package io.hawser.cri.streaming;

import java.io.IOException;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.ReferenceCountUtil;

/** A stream to the client: one SPDY stream, or one channel of a WebSocket connection. */
interface ClientOutput {

    /**
     * Sends bytes, blocking while the connection's outbound buffer is full.
     *
     * @throws IOException when the client has gone
     */
    void write(byte[] data, int offset, int length) throws IOException;

    /** Ends the stream; the client reads end of file. Ending an ended stream does nothing. */
    void close();

    /**
     * Writes {@code frame} to {@code connection} from a thread outside its event loop and, when
     * the connection's outbound buffer is over its high water mark, waits until it is sent.
     */
    static void send(Channel connection, Object frame) throws IOException {
        if (!connection.isActive()) {
            ReferenceCountUtil.release(frame);
            throw new IOException("the client has disconnected");
        }
        ChannelFuture written = connection.writeAndFlush(frame);
        if (!connection.isWritable()) {
            written.awaitUninterruptibly();
            if (!written.isSuccess()) {
                throw new IOException("cannot send to the client: " + written.cause().getMessage(), written.cause());
            }
        }
    }
}
