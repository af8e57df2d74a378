package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Where {@link RegistryClient#fetchBlob} writes a blob, possibly holding the first part of it from
 * an earlier, interrupted attempt. The client asks the registry only for the rest, hashes the held
 * part and the rest together, and reports a mismatch before the fetch counts as done, so what the
 * sink holds is verified only once {@code fetchBlob} returns, unless the sink
 * {@linkplain #verifiesDigest() verifies it itself}. A content store ingest is the usual sink.
 */
public interface BlobSink {

    /** How many bytes of the blob the sink holds already; the fetch continues after them. */
    long held() throws IOException;

    /** Feeds the held bytes to a hasher, so the whole blob is verified, not only the rest. */
    void hashHeld(MessageDigest hasher) throws IOException;

    /** Drops the held bytes: the registry sends the whole blob again. */
    void discardHeld() throws IOException;

    /** Appends bytes after those held; consumes the buffer. */
    void write(ByteBuffer bytes) throws IOException;

    /**
     * Whether the sink checks the blob's digest itself before anything uses it, as a content
     * store ingest does on commit. A fetch from the blob's first byte into such a sink then checks
     * only the size and leaves the digest to the sink, so each byte is hashed once, not twice
     * (hashing is most of a pull's CPU time). A resumed fetch still hashes the held part and the
     * rest, so that a held part that turns out wrong is dropped and fetched again at once.
     */
    default boolean verifiesDigest() {
        return false;
    }
}
