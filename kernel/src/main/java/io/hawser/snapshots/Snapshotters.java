package io.hawser.snapshots;

import java.util.Optional;
import java.util.SortedSet;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The snapshotters serving now, by id, and which one is the default. Snapshotter plugins come and
 * go with their bundles; callers look one up when they need it rather than keeping it. The kernel
 * provides it; the default is set by {@code default.snapshotter} in {@code io.hawser.snapshotters.cfg}
 * ({@code overlay} unless configured).
 */
@ProviderType
public interface Snapshotters {

    /** The snapshotter with this id, if one serves now. */
    Optional<Snapshotter> find(String id);

    /**
     * The snapshotter with this id, the default one for the empty string.
     *
     * @throws HawserException {@code NOT_FOUND} naming the id and the ids that do serve
     */
    Snapshotter get(String id) throws HawserException;

    /** The id of the default snapshotter. */
    String defaultId();

    /** The ids serving now, sorted. */
    SortedSet<String> ids();
}
