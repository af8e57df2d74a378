package io.hawser.kernel.internal.containers;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import io.hawser.errors.HawserException;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;

/** Snapshotters from a map, with a fixed default. */
record FakeSnapshotters(Map<String, CopySnapshotter> serving, String defaultId) implements Snapshotters {

    @Override
    public Optional<Snapshotter> find(String id) {
        return Optional.ofNullable(serving.get(id));
    }

    @Override
    public Snapshotter get(String id) throws HawserException {
        String wanted = id.isEmpty() ? defaultId : id;
        return find(wanted).orElseThrow(() -> HawserException.notFound("snapshotter " + wanted + " (serving: " + ids() + ")"));
    }

    @Override
    public SortedSet<String> ids() {
        return new TreeSet<>(serving.keySet());
    }
}
