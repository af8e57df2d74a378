package io.hawser.content;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one garbage collection removed.
 *
 * @param removedBlobs   the committed blobs deleted, in digest order
 * @param bytesFreed     their total size
 * @param removedIngests the refs of the stale ingests deleted
 * @param expiredLeases  how many expired leases were deleted
 * @param duration       how long the collection held the store
 */
public record CollectionReport(List<Digest> removedBlobs, long bytesFreed, List<String> removedIngests, int expiredLeases, Duration duration) {

    public CollectionReport {
        removedBlobs = List.copyOf(removedBlobs);
        removedIngests = List.copyOf(removedIngests);
        Objects.requireNonNull(duration, "duration");
        if (bytesFreed < 0) {
            throw new IllegalArgumentException("bytes freed must not be negative: " + bytesFreed);
        }
    }
}
