package io.hawser.content;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Blobs addressed by digest, written through resumable ingests. The kernel provides it. The
 * package documentation explains ingest and commit. All methods are safe for concurrent use and
 * may block on disk.
 */
@ProviderType
public interface ContentStore {

    /** Stands for a size the caller does not know. */
    long UNKNOWN_SIZE = -1;

    /**
     * Describes a committed blob.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such blob
     */
    ContentInfo info(Digest digest) throws IOException;

    /**
     * Opens a committed blob for random-access reading. The channel is read-only; position it to
     * read at an offset, or wrap it with {@link java.nio.channels.Channels#newInputStream} to read
     * it as a stream. The caller closes it.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such blob
     */
    SeekableByteChannel reader(Digest digest) throws IOException;

    /**
     * Opens a writer for an ingest, creating the ingest or resuming it. When the existing ingest
     * was opened with a different expected size or digest, it is restarted from zero because its
     * bytes belong to another blob.
     *
     * @param ref            names the ingest; the same ref resumes the same ingest
     * @param expectedSize   the blob's size if known, else {@link #UNKNOWN_SIZE}
     * @param expectedDigest the blob's digest if known, else {@code null}
     * @throws BlobExistsException when the expected digest is already committed: there is
     *                             nothing to write
     * @throws HawserException     {@code UNAVAILABLE} when another writer holds the ref
     */
    ContentWriter writer(String ref, long expectedSize, Digest expectedDigest) throws IOException;

    /**
     * Deletes a committed blob. Readers that have it open keep reading it.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such blob
     */
    void delete(Digest digest) throws IOException;

    /**
     * Visits every committed blob the filter accepts, in no particular order. The visitor must not
     * write to this store.
     */
    void walk(Predicate<? super ContentInfo> filter, Consumer<? super ContentInfo> visitor) throws IOException;

    /**
     * Replaces the labels of a committed blob.
     *
     * @param labels the complete new label set
     * @return the blob as it is after the update
     * @throws HawserException {@code NOT_FOUND} when there is no such blob
     */
    ContentInfo update(Digest digest, Map<String, String> labels) throws IOException;

    /**
     * The state of one ingest, whether or not a writer holds it now.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no ingest with the ref
     */
    IngestStatus status(String ref) throws IOException;

    /** The state of every ingest, for progress displays and to find stale ones. */
    List<IngestStatus> statuses() throws IOException;

    /**
     * Discards an ingest and its bytes.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no ingest with the ref
     * @throws HawserException {@code UNAVAILABLE} when a writer holds the ref
     */
    void abort(String ref) throws IOException;
}
