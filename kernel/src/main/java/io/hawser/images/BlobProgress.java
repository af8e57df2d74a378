package io.hawser.images;

import java.util.Objects;

/**
 * Where the pull of one blob stands.
 *
 * @param blob   the blob: a manifest, a config or a layer
 * @param state  its state
 * @param offset bytes fetched (or unpacked) so far
 */
public record BlobProgress(Descriptor blob, State state, long offset) {

    /** The states a blob goes through, in order; a blob may skip some. */
    public enum State {
        /** Waiting for a download slot. */
        WAITING,
        /** Being fetched; {@code offset} grows. */
        DOWNLOADING,
        /** Fetched and verified. */
        DOWNLOADED,
        /** Already in the content store: nothing to fetch. */
        ALREADY_PRESENT,
        /** A layer being applied to a snapshot. */
        UNPACKING,
        /** A layer applied and committed as a snapshot. */
        UNPACKED,
        /** Failed; the pull fails with the reason. */
        FAILED
    }

    public BlobProgress {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(state, "state");
        if (offset < 0) {
            throw new IllegalArgumentException("progress offset must not be negative: " + offset);
        }
    }

    /** The blob's full size, from its descriptor. */
    public long total() {
        return blob.size();
    }
}
