package io.hawser.snapshots;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps snapshots and answers with the mounts that show them. Snapshotter plugins register it
 * with the service property {@value #SNAPSHOTTER_PROPERTY} set to their id ({@code overlay},
 * {@code btrfs}, {@code native}). The package documentation explains kinds, the argument names
 * {@code key}, {@code name} and {@code parent}, and the lifecycle.
 *
 * <p>Implementations are safe for concurrent use. Every method may block on disk and throws
 * {@link IOException}; the conditions a caller handles are the {@link HawserException} codes
 * named on each method.
 */
@ProviderType
public interface Snapshotter {

    /** Service property holding the snapshotter's id. */
    String SNAPSHOTTER_PROPERTY = "hawser.snapshotter";

    /**
     * Describes a snapshot.
     *
     * @param key the key of an active snapshot or view, or the name of a committed one
     * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
     */
    SnapshotInfo stat(String key) throws IOException;

    /**
     * Replaces the labels of a snapshot; kind, parent and creation time never change.
     *
     * @param key    the key or name
     * @param labels the complete new label set
     * @return the snapshot as it is after the update
     * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
     */
    SnapshotInfo update(String key, Map<String, String> labels) throws IOException;

    /**
     * Measures the disk a snapshot uses of its own, without its parents. For an active snapshot
     * this walks its tree and may take a while.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
     */
    Usage usage(String key) throws IOException;

    /**
     * The mounts of an active snapshot or view, the same that {@link #prepare} or {@link #view}
     * returned. Callers use it to mount the snapshot again, for example after a daemon restart.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
     * @throws HawserException {@code FAILED_PRECONDITION} when the snapshot is committed
     */
    List<Mount> mounts(String key) throws IOException;

    /**
     * Creates an active snapshot.
     *
     * @param key    the new snapshot's key
     * @param parent the committed snapshot to start from, or the empty string to start empty
     * @param labels labels for the new snapshot
     * @return the mounts that show the writable tree
     * @throws HawserException {@code ALREADY_EXISTS} when the key is taken
     * @throws HawserException {@code NOT_FOUND} when the parent does not exist
     * @throws HawserException {@code FAILED_PRECONDITION} when the parent is not committed
     */
    List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException;

    /**
     * Creates a read-only view of a committed snapshot. The mounts it returns are read-only; a
     * view may cost less than an active snapshot, for example no upper directory with overlay.
     *
     * @param key    the view's key
     * @param parent the committed snapshot to show, or the empty string for an empty tree
     * @param labels labels for the view
     * @return the mounts that show the tree
     * @throws HawserException {@code ALREADY_EXISTS} when the key is taken
     * @throws HawserException {@code NOT_FOUND} when the parent does not exist
     * @throws HawserException {@code FAILED_PRECONDITION} when the parent is not committed
     */
    List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException;

    /**
     * Freezes an active snapshot under a name. The key is gone afterwards; the committed snapshot
     * keeps the active one's parent. The caller must have unmounted it: changes made after commit
     * are not part of it.
     *
     * @param name   the committed snapshot's name
     * @param key    the active snapshot to commit
     * @param labels labels for the committed snapshot
     * @throws HawserException {@code NOT_FOUND} when there is no snapshot with the key
     * @throws HawserException {@code ALREADY_EXISTS} when the name is taken
     * @throws HawserException {@code FAILED_PRECONDITION} when the key names a view or a committed
     *                         snapshot
     */
    void commit(String name, String key, Map<String, String> labels) throws IOException;

    /**
     * Removes a snapshot. Its disk space may be reclaimed only by a later {@link #cleanup()}.
     *
     * @param key the key or name
     * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
     * @throws HawserException {@code FAILED_PRECONDITION} when it is committed and has children
     */
    void remove(String key) throws IOException;

    /**
     * Visits every snapshot the filter accepts, in no particular order. The visitor runs on the
     * calling thread and must not call back into this snapshotter, which may hold a lock.
     *
     * @param filter  which snapshots to visit
     * @param visitor what to do with each
     */
    void walk(Predicate<? super SnapshotInfo> filter, Consumer<? super SnapshotInfo> visitor) throws IOException;

    /**
     * Reclaims the disk of removed snapshots and of work left by an interrupted operation. The
     * kernel calls it from garbage collection, never while holding its own locks.
     */
    void cleanup() throws IOException;
}
