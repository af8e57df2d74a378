package io.hawser.content;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Removes what nothing refers to any more. The kernel provides it; {@code hawser gc} and the image
 * service (after a deletion) call it.
 *
 * <p>A collection marks every blob reachable from a root (an image's target, content a lease
 * holds, and as later services arrive, what containers and snapshots use) by following the
 * references of indexes and manifests to their manifests, configs and layers, then deletes the
 * committed blobs it did not mark and the ingests no writer has touched for the configured age
 * and no lease holds. It is safe while pulls run: a pull holds a lease on everything it fetches
 * until its image record exists, and no blob is committed while a collection runs.
 */
@ProviderType
public interface GarbageCollector {

    /**
     * Runs one collection to the end. Concurrent calls run one after the other.
     *
     * @return what was removed
     */
    CollectionReport collect() throws IOException;
}
