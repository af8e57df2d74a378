package io.hawser.content;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of an ingest, a blob being written.
 *
 * @param ref       the ref the writer was opened with
 * @param offset    bytes written so far
 * @param total     the expected size, or {@link ContentStore#UNKNOWN_SIZE}
 * @param expected  the expected digest, or {@code null} when the writer did not name one
 * @param startedAt when the ingest was first opened
 * @param updatedAt when bytes were last written
 */
public record IngestStatus(String ref, long offset, long total, Digest expected, Instant startedAt, Instant updatedAt) {

    public IngestStatus {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (offset < 0) {
            throw new IllegalArgumentException("ingest offset must not be negative: " + offset);
        }
        if (total < ContentStore.UNKNOWN_SIZE) {
            throw new IllegalArgumentException("ingest total must be a size or UNKNOWN_SIZE: " + total);
        }
    }

    /** Whether the expected size is known. */
    public boolean totalKnown() {
        return total != ContentStore.UNKNOWN_SIZE;
    }
}
