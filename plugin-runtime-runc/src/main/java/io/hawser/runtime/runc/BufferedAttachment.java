package io.hawser.runtime.runc;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;

import io.hawser.runtime.Attachment;

/**
 * An attachment made before its process ran (an exec launched attached), read ahead on its own
 * thread until a caller claims it. conmon writes to attached clients with blocking writes, so an
 * unread connection would stall the process once the socket's buffer filled; reading ahead keeps
 * it moving. What is read ahead is kept up to {@value #LIMIT} bytes; past that the rest is dropped
 * (the log still has it) and the attachment ends there.
 */
final class BufferedAttachment implements Attachment {

    private static final int LIMIT = 4 * 1024 * 1024;
    /** Queued after the last chunk: the socket reached end of file, or the buffer overflowed. */
    private static final Chunk END = new Chunk(Stream.STDOUT, new byte[0]);

    private final AttachSocket socket;
    private final LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
    private volatile IOException failure;
    private boolean ended;

    BufferedAttachment(AttachSocket socket) {
        this.socket = socket;
        // a platform thread: the read blocks in native code, which would pin a virtual thread's carrier
        Thread.ofPlatform().daemon().name("hawser-exec-output").start(this::readAhead);
    }

    private void readAhead() {
        long buffered = 0;
        boolean overflowed = false;
        try {
            for (Chunk chunk = socket.read(); chunk != null; chunk = socket.read()) {
                buffered += chunk.data().length;
                if (buffered > LIMIT && !overflowed) {
                    overflowed = true;
                    chunks.add(END);
                }
                if (!overflowed) {
                    chunks.add(chunk);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        if (!overflowed) {
            chunks.add(END);
        }
    }

    @Override
    public synchronized Chunk read() throws IOException {
        if (ended) {
            return null;
        }
        Chunk chunk;
        try {
            chunk = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading output");
        }
        if (chunk == END) {
            ended = true;
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        return chunk;
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        socket.write(data, offset, length);
    }

    @Override
    public void closeStdin() throws IOException {
        socket.closeStdin();
    }

    @Override
    public void close() {
        socket.close();
    }
}
