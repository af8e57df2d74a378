package io.hawser.snapshotter.overlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.hawser.host.FileTrees;
import io.hawser.errors.HawserException;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;
import io.hawser.snapshots.metadata.SnapshotMetadata;
import io.hawser.snapshots.metadata.SnapshotMetadata.Snapshot;

/**
 * Snapshots as overlayfs layers. Every snapshot owns a directory {@code snapshots/<id>} under the
 * root with two subdirectories: {@code fs}, the snapshot's own files, and {@code work}, which
 * overlayfs needs beside an upper directory on the same filesystem. The id is the snapshot's row
 * in {@code metadata.db} beside them; keys and names never become paths.
 *
 * <p>A snapshot's tree is its ancestors' {@code fs} directories stacked as overlay lower layers,
 * nearest parent on top, and its own {@code fs} as the upper layer that takes the writes:
 * overlayfs records a deletion there as a whiteout (a 0:0 character device) and a replaced
 * directory as opaque, so once committed, the same {@code fs} directory serves unchanged as a
 * lower layer of the snapshots above it. Committing therefore moves no data: it renames the row.
 *
 * <p>What the mounts look like:
 * <ul>
 * <li>an active snapshot without parent: a read-write bind mount of its {@code fs};
 * <li>an active snapshot with parents: {@code overlay} with {@code lowerdir} the ancestors,
 *     {@code upperdir} and {@code workdir} its own;
 * <li>a view of a single layer: a read-only bind mount of that layer's {@code fs}, which costs
 *     the kernel less than an overlay;
 * <li>a view of several layers: a read-only {@code overlay} of the ancestors alone;
 * <li>a view of nothing: a read-only bind mount of its own, empty, {@code fs}.
 * </ul>
 * When the absolute directory names of an overlay do not fit in the page mount(2) takes (around
 * 60 layers under {@code /var/lib/hawser}), the mount names them relative to {@code snapshots/}
 * and carries that directory as its {@linkplain Mount#workingDirectory() working directory};
 * {@code 12/fs} leaves room for about 400 layers even with six-digit ids (overlayfs itself stops
 * at 500).
 *
 * <p>{@link #remove} only deletes the row; {@link #cleanup} deletes the directories no row
 * names, which also catches those an interrupted prepare left behind.
 */
public final class OverlaySnapshotter implements Snapshotter, AutoCloseable {

    private final Path snapshots;
    private final Path trash;
    private final SnapshotMetadata metadata;

    /**
     * Opens the snapshots under a root directory, creating it when new.
     *
     * @throws IOException when the directories or the database cannot be created or opened
     */
    public OverlaySnapshotter(Path root) throws IOException {
        this.snapshots = Files.createDirectories(root.resolve("snapshots"));
        this.trash = Files.createDirectories(root.resolve("trash"));
        this.metadata = new SnapshotMetadata(root);
    }

    @Override
    public SnapshotInfo stat(String key) throws IOException {
        return metadata.transaction(tx -> tx.get(key).info());
    }

    @Override
    public SnapshotInfo update(String key, Map<String, String> labels) throws IOException {
        return metadata.transaction(tx -> tx.updateLabels(key, labels, Instant.now()));
    }

    @Override
    public Usage usage(String key) throws IOException {
        return usageOf(fs(metadata.transaction(tx -> tx.get(key)).id()));
    }

    @Override
    public List<Mount> mounts(String key) throws IOException {
        return metadata.transaction(tx -> {
            Snapshot snapshot = tx.get(key);
            if (snapshot.info().kind() == Kind.COMMITTED) {
                throw HawserException.failedPrecondition("snapshot " + key + " is committed and has no mounts; prepare or view on top of it");
            }
            return mountsOf(snapshot, tx.ancestors(snapshot));
        });
    }

    @Override
    public List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        return create(Kind.ACTIVE, key, parent, labels);
    }

    @Override
    public List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException {
        return create(Kind.VIEW, key, parent, labels);
    }

    @Override
    public void commit(String name, String key, Map<String, String> labels) throws IOException {
        metadata.transaction(tx -> tx.commit(name, key, labels, Instant.now()));
    }

    @Override
    public void remove(String key) throws IOException {
        metadata.transaction(tx -> tx.remove(key));
    }

    @Override
    public void walk(Predicate<? super SnapshotInfo> filter, Consumer<? super SnapshotInfo> visitor) throws IOException {
        // the list is taken under the database lock and visited outside it
        metadata.transaction(SnapshotMetadata.Transaction::all).stream().map(Snapshot::info).filter(filter).forEach(visitor);
    }

    /**
     * Moves the directories no row names into {@code trash/} while the database is locked, then
     * deletes the trash without the lock. A directory is created only inside the transaction that
     * adds its row, so under the lock every directory without a row is garbage for good.
     */
    @Override
    public void cleanup() throws IOException {
        metadata.transaction(tx -> {
            Set<Long> ids = tx.ids();
            try (Stream<Path> entries = Files.list(snapshots)) {
                for (Path entry : (Iterable<Path>) entries::iterator) {
                    if (!ids.contains(idOf(entry))) {
                        discard(entry);
                    }
                }
            }
            return null;
        });
        try (Stream<Path> entries = Files.list(trash)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                FileTrees.delete(entry);
            }
        }
    }

    @Override
    public void close() throws IOException {
        metadata.close();
    }

    private List<Mount> create(Kind kind, String key, String parent, Map<String, String> labels) throws IOException {
        return metadata.transaction(tx -> {
            Snapshot snapshot = tx.insert(kind, key, parent, labels, Instant.now());
            Path directory = snapshots.resolve(Long.toString(snapshot.id()));
            // an id whose insert was rolled back before a crash comes round again; its directory is garbage
            if (Files.exists(directory)) {
                discard(directory);
            }
            Files.createDirectories(directory.resolve("fs"));
            Files.createDirectories(directory.resolve("work"));
            return mountsOf(snapshot, tx.ancestors(snapshot));
        });
    }

    /** The mounts of an active snapshot or view over its ancestors' layers, nearest parent first. */
    private List<Mount> mountsOf(Snapshot snapshot, List<Long> lower) {
        long id = snapshot.id();
        boolean view = snapshot.info().kind() == Kind.VIEW;
        if (lower.isEmpty()) {
            return List.of(new Mount("bind", fs(id).toString(), List.of("rbind", view ? "ro" : "rw")));
        }
        if (view && lower.size() == 1) {
            return List.of(new Mount("bind", fs(lower.getFirst()).toString(), List.of("rbind", "ro")));
        }
        List<String> absolute = overlayOptions(id, lower, view, dir -> snapshots.resolve(dir).toString());
        if (String.join(",", absolute).getBytes(StandardCharsets.UTF_8).length <= Mount.MAX_OPTION_BYTES) {
            return List.of(new Mount("overlay", "overlay", absolute));
        }
        return List.of(new Mount("overlay", "overlay", "", overlayOptions(id, lower, view, Function.identity()), snapshots.toString()));
    }

    /**
     * The overlay options of a snapshot: the lower directories nearest parent first, then its own
     * upper and work directories unless it is a view.
     *
     * @param path turns a directory relative to {@code snapshots/} into the path the options carry
     */
    private static List<String> overlayOptions(long id, List<Long> lower, boolean view, Function<String, String> path) {
        List<String> lowerDirs = new ArrayList<>();
        for (long layer : lower) {
            lowerDirs.add(path.apply(layer + "/fs"));
        }
        List<String> options = new ArrayList<>();
        if (view) {
            options.add("ro");
        }
        options.add("lowerdir=" + String.join(":", lowerDirs));
        if (!view) {
            options.add("upperdir=" + path.apply(id + "/fs"));
            options.add("workdir=" + path.apply(id + "/work"));
        }
        return options;
    }

    private Path fs(long id) {
        return snapshots.resolve(Long.toString(id)).resolve("fs");
    }

    /** The id a snapshot directory stands for, or -1 for a name that is no id. */
    private static long idOf(Path directory) {
        try {
            return Long.parseLong(directory.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Moves a directory out of the way, into the trash, quickly; {@link #cleanup()} deletes it. */
    private void discard(Path directory) throws IOException {
        Files.move(directory, trash.resolve(directory.getFileName() + "-" + UUID.randomUUID()));
    }

    /** The bytes and inodes below a directory, every hard-linked inode once. */
    private static Usage usageOf(Path directory) throws IOException {
        Set<Object> seen = new HashSet<>();
        long[] totals = new long[2];
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (!dir.equals(directory)) {
                    count(attributes);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                count(attributes);
                return FileVisitResult.CONTINUE;
            }

            private void count(BasicFileAttributes attributes) {
                if (seen.add(attributes.fileKey())) {
                    totals[0] += attributes.size();
                    totals[1]++;
                }
            }
        });
        return new Usage(totals[0], totals[1]);
    }
}
