package io.hawser.cri.streaming;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Bytes a client sends on one stream, handed from the connection's event loop to the platform
 * thread that feeds them to a process or socket. The event loop never blocks: when more than
 * {@link #HIGH_WATER} bytes wait in any input of a connection, the connection stops reading from
 * its socket until they are taken, so a slow consumer slows the client instead of filling memory.
 */
final class ClientInput extends InputStream {

    static final int HIGH_WATER = 1 << 20;

    /** How many inputs of a connection are above their high water mark. */
    private static final AttributeKey<int[]> FULL_INPUTS = AttributeKey.valueOf(ClientInput.class, "fullInputs");

    private final Channel connection;
    private final Deque<byte[]> chunks = new ArrayDeque<>();
    private int offsetInFirst;
    private long queued;
    private boolean ended;
    private boolean full;

    ClientInput(Channel connection) {
        this.connection = connection;
    }

    /** Queues the readable bytes of {@code data}, on the event loop; the caller keeps ownership of the buffer. */
    void offer(ByteBuf data) {
        if (!data.isReadable()) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(data);
        boolean nowFull;
        synchronized (this) {
            if (ended) {
                return;
            }
            chunks.addLast(bytes);
            queued += bytes.length;
            nowFull = !full && queued > HIGH_WATER;
            full |= nowFull;
            notifyAll();
        }
        if (nowFull) {
            adjustFullInputs(+1);
        }
    }

    /** The client sent the end of this stream, or went away: readers see end of file after what is queued. */
    void end() {
        synchronized (this) {
            ended = true;
            notifyAll();
        }
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws InterruptedIOException {
        if (length == 0) {
            return 0;
        }
        int copied;
        boolean drained;
        synchronized (this) {
            while (chunks.isEmpty() && !ended) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for client input");
                }
            }
            if (chunks.isEmpty()) {
                return -1;
            }
            byte[] first = chunks.peekFirst();
            copied = Math.min(length, first.length - offsetInFirst);
            System.arraycopy(first, offsetInFirst, buffer, offset, copied);
            offsetInFirst += copied;
            if (offsetInFirst == first.length) {
                chunks.removeFirst();
                offsetInFirst = 0;
            }
            queued -= copied;
            drained = full && queued <= HIGH_WATER / 2;
            full &= !drained;
        }
        if (drained) {
            adjustFullInputs(-1);
        }
        return copied;
    }

    private void adjustFullInputs(int change) {
        connection.eventLoop().execute(() -> {
            int[] fresh = new int[1];
            int[] existing = connection.attr(FULL_INPUTS).setIfAbsent(fresh);
            int[] count = existing == null ? fresh : existing;
            count[0] += change;
            connection.config().setAutoRead(count[0] == 0);
        });
    }
}
