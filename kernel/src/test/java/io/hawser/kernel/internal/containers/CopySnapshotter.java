package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.errors.HawserException;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;

/**
 * A snapshotter that copies: each snapshot a directory holding its whole tree, an active one
 * starting as a copy of its parent's; its mounts a bind mount of that directory. Enough for the
 * container service, which only prepares, mounts and removes.
 */
final class CopySnapshotter implements Snapshotter {

    private final Path root;
    final Map<String, SnapshotInfo> snapshots = new ConcurrentHashMap<>();

    CopySnapshotter(Path root) {
        this.root = root;
    }

    /** Adds a committed snapshot holding files, as unpacking a layer would. */
    void commitLayer(String name, Map<String, String> files) throws IOException {
        Path directory = Files.createDirectories(directory(name));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = directory.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        snapshots.put(name, new SnapshotInfo(Kind.COMMITTED, name, "", Map.of(), Instant.EPOCH, Instant.EPOCH));
    }

    /** The keys of the active snapshots. */
    List<String> active() {
        return snapshots.values().stream().filter(info -> info.kind() == Kind.ACTIVE).map(SnapshotInfo::name).sorted().toList();
    }

    private Path directory(String key) {
        return root.resolve(key.replace(':', '_'));
    }

    @Override
    public SnapshotInfo stat(String key) throws IOException {
        SnapshotInfo info = snapshots.get(key);
        if (info == null) {
            throw HawserException.notFound("snapshot " + key);
        }
        return info;
    }

    @Override
    public SnapshotInfo update(String key, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Usage usage(String key) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Mount> mounts(String key) throws IOException {
        stat(key);
        return List.of(new Mount("bind", directory(key).toString(), List.of("rbind", "rw")));
    }

    @Override
    public List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        if (snapshots.containsKey(key)) {
            throw HawserException.alreadyExists("snapshot " + key);
        }
        Path directory = Files.createDirectories(directory(key));
        if (!parent.isEmpty()) {
            if (stat(parent).kind() != Kind.COMMITTED) {
                throw HawserException.failedPrecondition("parent " + parent + " is not committed");
            }
            FakeMounter.copyTree(directory(parent), directory);
        }
        snapshots.put(key, new SnapshotInfo(Kind.ACTIVE, key, parent, labels, Instant.EPOCH, Instant.EPOCH));
        return mounts(key);
    }

    @Override
    public List<Mount> view(String key, String parent, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void commit(String name, String key, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String key) throws IOException {
        stat(key);
        snapshots.remove(key);
    }

    @Override
    public void walk(Predicate<? super SnapshotInfo> filter, Consumer<? super SnapshotInfo> visitor) {
        snapshots.values().stream().filter(filter).forEach(visitor);
    }

    @Override
    public void cleanup() {
    }
}
