package io.hawser.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.WritableByteChannel;
import java.util.Map;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes one ingest. Bytes are appended at {@link #offset()}; after a resumed
 * {@link ContentStore#writer open} the offset is where the earlier attempt stopped, and the caller
 * continues from there (for a registry, with an HTTP range request). Wrap it with
 * {@link java.nio.channels.Channels#newOutputStream} to copy a stream into it.
 *
 * <p>{@link #close()} without {@link #commit} releases the ref and keeps the bytes for a later
 * writer. A writer is used by one thread at a time.
 */
@ProviderType
public interface ContentWriter extends WritableByteChannel {

    /** The ref this writer holds. */
    String ref();

    /** Bytes in the ingest so far, including those of earlier attempts. */
    long offset() throws IOException;

    /** The ingest's state: ref, offset, expectations and times. */
    IngestStatus status() throws IOException;

    /**
     * Verifies the ingest and makes it a committed blob in one atomic step, then closes the
     * writer. Expectations given here override those given when the writer was opened; with
     * neither, the blob is committed under the digest of what was written.
     *
     * <p>On a mismatch nothing is committed and the writer stays open, so the caller can
     * {@link #truncate(long) truncate} and write again, or close and abort.
     *
     * @param size   the expected size, or {@link ContentStore#UNKNOWN_SIZE}
     * @param digest the expected digest, or {@code null}
     * @param labels labels for the committed blob
     * @return the digest the blob is committed under
     * @throws HawserException     {@code FAILED_PRECONDITION} when the size or the digest
     *                             differs; the message names the ref, the expected and the actual
     *                             value
     * @throws BlobExistsException when another writer committed the same blob first; the ingest
     *                             is discarded and the caller may treat it as success
     */
    Digest commit(long size, Digest digest, Map<String, String> labels) throws IOException;

    /**
     * Cuts the ingest to a size, to rewrite its tail; {@code truncate(0)} starts over. Digesting
     * restarts from the kept bytes.
     *
     * @throws IllegalArgumentException when the size is negative or beyond {@link #offset()}
     */
    void truncate(long size) throws IOException;

    /**
     * Reads back what this ingest holds so far, from its first byte to {@link #offset()}. A caller
     * that resumes an interrupted download uses it to verify the whole blob, not only the part it
     * fetched this time.
     */
    InputStream readWritten() throws IOException;
}
