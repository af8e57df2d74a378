package io.hawser.snapshots;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshotter knows about one snapshot.
 *
 * @param kind    the kind
 * @param name    the key of an active snapshot or view, or the name of a committed one
 * @param parent  the name of the committed parent, or the empty string when there is none
 * @param labels  caller-defined labels, for example references that keep the snapshot from
 *                garbage collection
 * @param created when the snapshot was prepared, or, for a committed one, committed
 * @param updated when the snapshot or its labels last changed
 */
public record SnapshotInfo(Kind kind, String name, String parent, Map<String, String> labels, Instant created, Instant updated) {

    public SnapshotInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        parent = parent == null ? "" : parent;
        labels = Map.copyOf(labels);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("snapshot name must not be empty");
        }
    }

    /** Whether the snapshot starts from a parent rather than from an empty tree. */
    public boolean hasParent() {
        return !parent.isEmpty();
    }
}
