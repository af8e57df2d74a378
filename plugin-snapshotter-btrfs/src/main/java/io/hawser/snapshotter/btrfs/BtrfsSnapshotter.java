package io.hawser.snapshotter.btrfs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.hawser.host.FileTrees;
import io.hawser.errors.HawserException;
import io.hawser.host.MountTable;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;
import io.hawser.snapshots.metadata.SnapshotMetadata;
import io.hawser.snapshots.metadata.SnapshotMetadata.Snapshot;

/**
 * Snapshots as btrfs subvolumes under a root directory on btrfs:
 *
 * <pre>
 * root/
 *   metadata.db        SQLite: key or name, kind, parent, labels, times; see {@link SnapshotMetadata}
 *   snapshots/N        one subvolume per snapshot, N its row number
 * </pre>
 *
 * <p>Keys and names live only in the database, never in paths, so any string is a valid key and
 * a commit renames nothing on disk. A snapshot without parent starts as an empty subvolume; one
 * with a parent is a snapshot of the parent's subvolume, writable for an active snapshot and
 * read-only for a view. Commit makes the active subvolume read-only in place: the committed
 * snapshot keeps its number, no data moves, and a process still writing through an old mount gets
 * EROFS instead of changing a layer others build on.
 *
 * <p>Mounts are bind mounts of the subvolume directory ({@code rw} for an active snapshot,
 * {@code ro} for a view), not {@code btrfs} mounts of the device with {@code subvolid=}: a bind
 * needs no block device path (a loop device or one member of a multi-device filesystem, possibly
 * absent from the mount namespace that mounts), and a VM runtime can share its source directory
 * over virtio-9p as it is. A view's subvolume is read-only itself, so even a mount that drops
 * {@code ro} cannot write into it.
 *
 * <p>Each subvolume operation runs inside the database transaction that records it, so the
 * database never names a subvolume that was not made, and a crash leaves at most a subvolume the
 * database does not know, which {@link #cleanup()} deletes.
 */
public final class BtrfsSnapshotter implements Snapshotter, AutoCloseable {

    private static final String SNAPSHOTS = "snapshots";

    private final Path snapshots;
    /**
     * What a snapshot's entry shares with its parent's while neither was touched since the
     * snapshot was taken.
     */
    private static final String UNCHANGED_ATTRIBUTES = "unix:ino,mode,size,lastModifiedTime,ctime";

    private final SnapshotMetadata metadata;
    private final Clock clock;

    /**
     * Opens the snapshotter, creating the root when missing.
     *
     * @param root  a directory on a btrfs filesystem
     * @param clock the source of creation and update times
     * @throws IOException when the root is not on btrfs or its metadata cannot be opened
     */
    public BtrfsSnapshotter(Path root, Clock clock) throws IOException {
        Files.createDirectories(root);
        Path real = root.toRealPath();
        Optional<String> problem = BtrfsSupport.problem(real, MountTable.current());
        if (problem.isPresent()) {
            throw new IOException(problem.get());
        }
        this.snapshots = Files.createDirectories(real.resolve(SNAPSHOTS));
        this.metadata = new SnapshotMetadata(real);
        this.clock = clock;
    }

    @Override
    public SnapshotInfo stat(String key) throws IOException {
        return metadata.transaction(tx -> tx.get(key).info());
    }

    @Override
    public SnapshotInfo update(String key, Map<String, String> labels) throws IOException {
        return metadata.transaction(tx -> tx.updateLabels(key, labels, clock.instant()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Without btrfs quotas (off by default, and costly on every write once on) the kernel does
     * not track which extents a subvolume owns, so this walks the snapshot's tree and counts what
     * differs from its parent's: entries the parent lacks, and entries whose inode number, size
     * or times changed (a btrfs snapshot keeps inode numbers and times, so an untouched file looks
     * the same in both). Each inode counts once however many hard links it has. A changed file
     * counts in full although btrfs still shares its unchanged extents with the parent, so the
     * figure is an upper bound on what removing the snapshot frees.
     */
    @Override
    public Usage usage(String key) throws IOException {
        Snapshot snapshot = metadata.transaction(tx -> tx.get(key));
        try {
            return ownUsage(subvolume(snapshot.id()), snapshot.parentId() == 0 ? null : subvolume(snapshot.parentId()));
        } catch (NoSuchFileException e) {
            // removed while we walked it
            throw HawserException.notFound("snapshot " + key);
        }
    }

    @Override
    public List<Mount> mounts(String key) throws IOException {
        return metadata.transaction(tx -> {
            Snapshot snapshot = tx.get(key);
            if (snapshot.info().kind() == Kind.COMMITTED) {
                throw HawserException.failedPrecondition("snapshot " + key + " is committed and has no mounts;"
                        + " prepare an active snapshot or a view on it");
            }
            return mountsOf(snapshot);
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
        metadata.transaction(tx -> {
            Snapshot committed = tx.commit(name, key, labels, clock.instant());
            // last, so a failure rolls the row back; a crash after it leaves the row active on a
            // read-only subvolume, and committing again finishes the job
            Btrfs.makeReadOnly(subvolume(committed.id()));
            return null;
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>The subvolume is deleted at once (btrfs frees its extents in the background); when the
     * deletion fails the snapshot stays, so the caller sees the error and can retry.
     */
    @Override
    public void remove(String key) throws IOException {
        metadata.transaction(tx -> {
            Path subvolume = subvolume(tx.remove(key).id());
            // a crash between deleting the subvolume and committing leaves a row without one
            if (Files.exists(subvolume)) {
                Btrfs.deleteSubvolume(subvolume);
            }
            return null;
        });
    }

    @Override
    public void walk(Predicate<? super SnapshotInfo> filter, Consumer<? super SnapshotInfo> visitor) throws IOException {
        // visited outside the lock, so a slow visitor holds up no one
        for (Snapshot snapshot : metadata.transaction(SnapshotMetadata.Transaction::all)) {
            if (filter.test(snapshot.info())) {
                visitor.accept(snapshot.info());
            }
        }
    }

    /** Deletes every subvolume (and anything else) under {@code snapshots/} that no snapshot owns. */
    @Override
    public void cleanup() throws IOException {
        metadata.transaction(tx -> {
            Set<String> owned = new HashSet<>();
            for (long id : tx.ids()) {
                owned.add(Long.toString(id));
            }
            List<Path> strays;
            try (Stream<Path> entries = Files.list(snapshots)) {
                strays = entries.filter(entry -> !owned.contains(entry.getFileName().toString())).toList();
            }
            for (Path stray : strays) {
                deleteStray(stray);
            }
            return null;
        });
    }

    /** Closes the metadata database. */
    @Override
    public void close() throws IOException {
        metadata.close();
    }

    private List<Mount> create(Kind kind, String key, String parent, Map<String, String> labels) throws IOException {
        return metadata.transaction(tx -> {
            Snapshot snapshot = tx.insert(kind, key, parent, labels, clock.instant());
            Path subvolume = subvolume(snapshot.id());
            // a number no committed row holds: what is there was left by a transaction that failed
            deleteStray(subvolume);
            boolean readOnly = kind == Kind.VIEW;
            if (snapshot.parentId() != 0) {
                Btrfs.snapshot(subvolume(snapshot.parentId()), subvolume, readOnly);
            } else {
                Btrfs.createSubvolume(subvolume);
                if (readOnly) {
                    Btrfs.makeReadOnly(subvolume);
                }
            }
            return mountsOf(snapshot);
        });
    }

    private List<Mount> mountsOf(Snapshot snapshot) {
        String access = snapshot.info().kind() == Kind.ACTIVE ? "rw" : "ro";
        return List.of(new Mount("bind", subvolume(snapshot.id()).toString(), List.of("rbind", access)));
    }

    private Path subvolume(long id) {
        return snapshots.resolve(Long.toString(id));
    }

    /** Deletes a leftover entry: a subvolume with btrfs, anything else file by file. */
    private static void deleteStray(Path stray) throws IOException {
        if (Btrfs.isSubvolume(stray)) {
            Btrfs.deleteSubvolume(stray);
        } else if (Files.exists(stray, LinkOption.NOFOLLOW_LINKS)) {
            FileTrees.delete(stray);
        }
    }

    /**
     * The bytes and inodes of a subvolume that its parent does not have in the same state.
     *
     * @param parent the parent's subvolume, or null when there is none and everything counts
     */
    private static Usage ownUsage(Path subvolume, Path parent) throws IOException {
        Set<Object> seen = new HashSet<>();
        long[] size = {0};
        Files.walkFileTree(subvolume, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                count(dir, attributes);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                count(file, attributes);
                return FileVisitResult.CONTINUE;
            }

            private void count(Path entry, BasicFileAttributes attributes) throws IOException {
                // the file key is (device, inode): hard links share it and are counted once
                if (!seen.contains(attributes.fileKey()) && !inParent(entry)) {
                    seen.add(attributes.fileKey());
                    size[0] += attributes.size();
                }
            }

            private boolean inParent(Path entry) throws IOException {
                if (parent == null) {
                    return false;
                }
                Path before = parent.resolve(subvolume.relativize(entry).toString());
                // each subvolume has its own device number, so the inode number is compared alone
                return Files.exists(before, LinkOption.NOFOLLOW_LINKS)
                        && Files.readAttributes(entry, UNCHANGED_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS)
                                .equals(Files.readAttributes(before, UNCHANGED_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
            }
        });
        return new Usage(size[0], seen.size());
    }
}
