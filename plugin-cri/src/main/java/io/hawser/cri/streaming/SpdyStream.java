package io.hawser.cri.streaming;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;

/**
 * A stream the client opened on a SPDY connection: its headers, what the client sends on it, and
 * the way back.
 */
final class SpdyStream implements ClientOutput {

    /** Go's SPDY library reads frames of any size, but small ones keep interactive streams fair. */
    private static final int MAX_DATA_FRAME = 32 * 1024;

    private final Channel connection;
    private final int id;
    private final SpdyHeaders headers;
    private final ClientInput input;
    private final AtomicBoolean ended = new AtomicBoolean();

    SpdyStream(Channel connection, int id, SpdyHeaders headers) {
        this.connection = connection;
        this.id = id;
        this.headers = headers;
        this.input = new ClientInput(connection);
    }

    int id() {
        return id;
    }

    /** A header's value (names are lower case on the wire), or null. */
    String header(String name) {
        return headers.getAsString(name);
    }

    ClientInput input() {
        return input;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (ended.get()) {
            throw new IOException("stream " + id + " has ended");
        }
        for (int sent = 0; sent < length; sent += MAX_DATA_FRAME) {
            int size = Math.min(MAX_DATA_FRAME, length - sent);
            ClientOutput.send(connection, new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(data, offset + sent, size)));
        }
    }

    @Override
    public void close() {
        if (ended.compareAndSet(false, true) && connection.isActive()) {
            connection.writeAndFlush(new DefaultSpdyDataFrame(id).setLast(true));
        }
    }

    /** The client reset the stream: nothing more goes either way. */
    void reset() {
        ended.set(true);
        input.end();
    }
}
