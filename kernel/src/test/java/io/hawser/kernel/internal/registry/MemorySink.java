package io.hawser.kernel.internal.registry;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/** A blob sink in memory, optionally holding the start of a blob as an interrupted fetch leaves it. */
final class MemorySink implements BlobSink {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int discards;

    MemorySink() {}

    MemorySink(byte[] held) {
        bytes.writeBytes(held);
    }

    byte[] bytes() {
        return bytes.toByteArray();
    }

    @Override
    public long held() {
        return bytes.size();
    }

    @Override
    public void hashHeld(MessageDigest hasher) {
        hasher.update(bytes.toByteArray());
    }

    @Override
    public void discardHeld() {
        bytes.reset();
        discards++;
    }

    @Override
    public void write(ByteBuffer buffer) {
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
    }
}
