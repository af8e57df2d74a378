package io.hawser.content;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the store knows about a committed blob.
 *
 * @param digest  the blob's address
 * @param size    its length in bytes
 * @param labels  labels, among them the references the garbage collector follows
 * @param created when it was committed
 * @param updated when its labels last changed
 */
public record ContentInfo(Digest digest, long size, Map<String, String> labels, Instant created, Instant updated) {

    public ContentInfo {
        Objects.requireNonNull(digest, "digest");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        if (size < 0) {
            throw new IllegalArgumentException("blob size must not be negative: " + size);
        }
    }
}
