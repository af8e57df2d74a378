package io.hawser.images;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Hears how a pull advances, blob by blob: a CLI draws progress bars from it, CRI ignores it.
 *
 * <p>It is called from the pull's download threads, concurrently for different blobs, and often
 * (every few hundred kilobytes). It must return quickly and must not throw: a slow listener slows
 * the pull.
 */
@ConsumerType
@FunctionalInterface
public interface PullProgress {

    /** A listener that ignores everything. */
    PullProgress NONE = progress -> { };

    /** One blob changed state or advanced. */
    void update(BlobProgress progress);
}
