package io.hawser.snapshotter.btrfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.SettableClock;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;

class BtrfsSnapshotterTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @RegisterExtension
    final BtrfsRootExtension btrfs = new BtrfsRootExtension();

    private final SettableClock clock = new SettableClock(START);
    private BtrfsSnapshotter snapshotter;

    @BeforeEach
    void open() throws IOException {
        snapshotter = btrfs.open(clock);
    }

    @Test
    void prepareWithoutParentIsAnEmptyWritableSubvolumeShownByAReadWriteBindMount() throws IOException {
        List<Mount> mounts = snapshotter.prepare("k", "", Map.of("a", "1"));

        assertEquals(1, mounts.size());
        Mount mount = mounts.getFirst();
        assertEquals("bind", mount.type());
        assertEquals(List.of("rbind", "rw"), mount.options());
        Path subvolume = Path.of(mount.source());
        assertTrue(Btrfs.isSubvolume(subvolume), subvolume + " is a subvolume");
        assertTrue(subvolume.startsWith(btrfs.root().toRealPath()), subvolume + " lies under the root");
        try (var entries = Files.list(subvolume)) {
            assertEquals(0, entries.count());
        }
        assertEquals(new SnapshotInfo(Kind.ACTIVE, "k", "", Map.of("a", "1"), START, START), snapshotter.stat("k"));
        assertEquals(mounts, snapshotter.mounts("k"));
    }

    @Test
    void anActiveSnapshotOrAViewIsNeverAParent() throws IOException {
        snapshotter.prepare("active", "", Map.of());
        committed("base");
        snapshotter.view("view", "base", Map.of());

        for (String parent : List.of("active", "view")) {
            assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.prepare("child", parent, Map.of()));
            assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.view("child", parent, Map.of()));
        }
    }

    @Test
    void aMissingParentIsNotFound() {
        HawserException refusal = assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.prepare("k", "nothing", Map.of()));
        assertEquals("parent snapshot nothing not found", refusal.getMessage());
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.view("k", "nothing", Map.of()));
    }

    @Test
    void keysAndNamesShareOneNamespace() throws IOException {
        committed("layer");
        snapshotter.prepare("k", "", Map.of());

        assertRefused(ErrorCode.ALREADY_EXISTS, () -> snapshotter.prepare("k", "", Map.of()));
        assertRefused(ErrorCode.ALREADY_EXISTS, () -> snapshotter.view("layer", "", Map.of()));
        assertRefused(ErrorCode.ALREADY_EXISTS, () -> snapshotter.commit("layer", "k", Map.of()));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> snapshotter.prepare("", "", Map.of()));
        assertRefused(ErrorCode.INVALID_ARGUMENT, () -> snapshotter.commit("", "k", Map.of()));
    }

    @Test
    void onlyAnActiveSnapshotCanBeCommitted() throws IOException {
        committed("layer");
        snapshotter.view("view", "layer", Map.of());

        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.commit("other", "view", Map.of()));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.commit("other", "layer", Map.of()));
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.commit("other", "missing", Map.of()));
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.mounts("layer"));
    }

    @Test
    void commitFreezesUnderTheNameKeepingTheParentAndTheKeyIsGone() throws IOException {
        committed("base");
        snapshotter.prepare("k", "base", Map.of("old", "x"));
        clock.advance(Duration.ofMinutes(1));

        snapshotter.commit("top", "k", Map.of("new", "y"));

        Instant committedAt = START.plus(Duration.ofMinutes(1));
        assertEquals(new SnapshotInfo(Kind.COMMITTED, "top", "base", Map.of("new", "y"), committedAt, committedAt), snapshotter.stat("top"));
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.stat("k"));
    }

    @Test
    void aCommittedSnapshotWithChildrenCannotBeRemovedTopDownItCan() throws IOException {
        committed("base");
        List<Mount> child = snapshotter.prepare("child", "base", Map.of());
        snapshotter.view("view", "base", Map.of());

        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.remove("base"));

        snapshotter.remove("child");
        snapshotter.remove("view");
        assertFalse(Files.exists(Path.of(child.getFirst().source())), "the child's subvolume is deleted");
        snapshotter.remove("base");
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.stat("base"));
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.remove("base"));
        assertEquals(List.of(), infos());
    }

    @Test
    void removingAnActiveSnapshotDeletesSubvolumesTheContainerCreatedInIt() throws IOException {
        Path tree = Path.of(snapshotter.prepare("k", "", Map.of()).getFirst().source());
        Btrfs.createSubvolume(tree.resolve("inner"));
        Btrfs.createSubvolume(tree.resolve("inner/innermost"));
        Files.writeString(tree.resolve("inner/innermost/file"), "x");

        snapshotter.remove("k");

        assertFalse(Files.exists(tree));
    }

    @Test
    void aChildSeesItsParentsFilesAndItsDeletionsStayInTheChild() throws IOException {
        Path layer = btrfs.mount(snapshotter.prepare("unpack", "", Map.of()));
        Files.createDirectories(layer.resolve("etc"));
        Files.writeString(layer.resolve("etc/hostname"), "hawser\n");
        Files.writeString(layer.resolve("etc/motd"), "hello\n");
        Files.createSymbolicLink(layer.resolve("motd"), Path.of("etc/motd"));
        snapshotter.commit("layer", "unpack", Map.of());

        Path container = btrfs.mount(snapshotter.prepare("container", "layer", Map.of()));
        assertEquals("hawser\n", Files.readString(container.resolve("etc/hostname")));
        assertEquals(Path.of("etc/motd"), Files.readSymbolicLink(container.resolve("motd")));
        Files.delete(container.resolve("etc/motd"));
        Files.writeString(container.resolve("etc/hostname"), "changed\n");

        Path view = btrfs.mount(snapshotter.view("look", "layer", Map.of()));
        assertEquals("hello\n", Files.readString(view.resolve("etc/motd")));
        assertEquals("hawser\n", Files.readString(view.resolve("etc/hostname")));
    }

    @Test
    void committedSnapshotsAndViewsAreReadOnly() throws IOException {
        List<Mount> prepared = snapshotter.prepare("k", "", Map.of());
        Path subvolume = Path.of(prepared.getFirst().source());
        Files.writeString(subvolume.resolve("file"), "data");
        snapshotter.commit("layer", "k", Map.of());

        assertThrows(FileSystemException.class, () -> Files.writeString(subvolume.resolve("file"), "changed"));
        assertThrows(FileSystemException.class, () -> Files.createFile(subvolume.resolve("new")));
        assertEquals("data", Files.readString(subvolume.resolve("file")));

        List<Mount> view = snapshotter.view("look", "layer", Map.of());
        assertEquals(List.of("rbind", "ro"), view.getFirst().options());
        assertTrue(view.getFirst().readOnly());
        Path mounted = btrfs.mount(view);
        assertThrows(FileSystemException.class, () -> Files.delete(mounted.resolve("file")));
        // the subvolume is read-only itself, not only the mount
        assertThrows(FileSystemException.class, () -> Files.delete(Path.of(view.getFirst().source()).resolve("file")));
    }

    @Test
    void aViewWithoutParentIsAnEmptyReadOnlyTree() throws IOException {
        Path view = btrfs.mount(snapshotter.view("empty", "", Map.of()));

        try (var entries = Files.list(view)) {
            assertEquals(0, entries.count());
        }
        assertThrows(FileSystemException.class, () -> Files.createFile(view.resolve("x")));
        assertEquals(Kind.VIEW, snapshotter.stat("empty").kind());
    }

    @Test
    void walkFiltersAndUpdateReplacesLabelsKeepingTheRest() throws IOException {
        committed("base");
        snapshotter.prepare("a", "base", Map.of("role", "container"));
        snapshotter.view("v", "base", Map.of());

        List<String> active = new ArrayList<>();
        snapshotter.walk(info -> info.kind() == Kind.ACTIVE, info -> active.add(info.name()));
        assertEquals(List.of("a"), active);
        assertEquals(Set.of("base", "a", "v"), new HashSet<>(infos().stream().map(SnapshotInfo::name).toList()));

        clock.advance(Duration.ofSeconds(5));
        SnapshotInfo updated = snapshotter.update("a", Map.of("gc.ref", "image"));

        assertEquals(new SnapshotInfo(Kind.ACTIVE, "a", "base", Map.of("gc.ref", "image"), START, START.plusSeconds(5)), updated);
        assertEquals(updated, snapshotter.stat("a"));
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.update("missing", Map.of()));
    }

    @Test
    void usageCountsApparentSizeAndEachInodeOnce() throws IOException {
        Path tree = Path.of(snapshotter.prepare("k", "", Map.of()).getFirst().source());
        Files.createDirectory(tree.resolve("dir"));
        Files.write(tree.resolve("dir/data"), new byte[100_000]);
        Files.createLink(tree.resolve("link"), tree.resolve("dir/data"));

        Usage usage = snapshotter.usage("k");

        // the subvolume root, dir and data; the hard link adds no inode and no bytes
        assertEquals(3, usage.inodes());
        assertTrue(usage.size() >= 100_000 && usage.size() < 101_000, "size " + usage.size());
        snapshotter.commit("layer", "k", Map.of());
        assertEquals(usage.inodes(), snapshotter.usage("layer").inodes());
        assertRefused(ErrorCode.NOT_FOUND, () -> snapshotter.usage("missing"));
    }

    @Test
    void anotherInstanceOnTheSameRootSeesTheSameSnapshots() throws IOException {
        committed("base");
        List<Mount> prepared = snapshotter.prepare("container", "base", Map.of("l", "v"));
        List<SnapshotInfo> before = infos();
        snapshotter.close();

        BtrfsSnapshotter restarted = btrfs.open(clock);

        List<SnapshotInfo> after = new ArrayList<>();
        restarted.walk(info -> true, after::add);
        assertEquals(new HashSet<>(before), new HashSet<>(after));
        assertEquals(prepared, restarted.mounts("container"));
        restarted.prepare("second", "base", Map.of());
        assertRefused(ErrorCode.FAILED_PRECONDITION, () -> restarted.remove("base"));
    }

    @Test
    void cleanupDeletesWhatNoSnapshotOwnsAndNothingElse() throws IOException {
        committed("base");
        Path kept = Path.of(snapshotter.prepare("kept", "base", Map.of()).getFirst().source());
        Path snapshots = kept.getParent();
        Path straySubvolume = snapshots.resolve("999");
        Btrfs.createSubvolume(straySubvolume);
        Files.writeString(straySubvolume.resolve("left"), "by a crash");
        Path strayDirectory = Files.createDirectories(snapshots.resolve("partial/dir"));

        snapshotter.cleanup();

        assertFalse(Files.exists(straySubvolume), "stray subvolume deleted");
        assertFalse(Files.exists(strayDirectory.getParent()), "stray directory deleted");
        assertTrue(Btrfs.isSubvolume(kept), "owned subvolume kept");
        try (var entries = Files.list(snapshots)) {
            assertEquals(2, entries.count());
        }
    }

    @Test
    void concurrentPreparesOfDistinctKeysAllSucceedAndOfOneKeyOnlyOnce() throws Exception {
        committed("base");
        int threads = 12;
        List<Callable<List<Mount>>> distinct = new ArrayList<>();
        List<Callable<List<Mount>>> same = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String key = "distinct-" + i;
            distinct.add(() -> snapshotter.prepare(key, "base", Map.of()));
            same.add(() -> snapshotter.prepare("same", "base", Map.of()));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            Set<String> sources = new HashSet<>();
            for (Future<List<Mount>> result : pool.invokeAll(distinct)) {
                sources.add(result.get().getFirst().source());
            }
            assertEquals(threads, sources.size());

            int succeeded = 0;
            for (Future<List<Mount>> result : pool.invokeAll(same)) {
                try {
                    result.get();
                    succeeded++;
                } catch (ExecutionException e) {
                    assertEquals(ErrorCode.ALREADY_EXISTS, ((HawserException) e.getCause()).code());
                }
            }
            assertEquals(1, succeeded);
        }
        assertEquals(threads + 2, infos().size());
    }

    /** Commits an empty snapshot under a name. */
    private void committed(String name) throws IOException {
        snapshotter.prepare(name + "-active", "", Map.of());
        snapshotter.commit(name, name + "-active", Map.of());
    }

    private List<SnapshotInfo> infos() throws IOException {
        List<SnapshotInfo> infos = new ArrayList<>();
        snapshotter.walk(info -> true, infos::add);
        return infos;
    }

    private static HawserException assertRefused(ErrorCode code, Executable operation) {
        HawserException refusal = assertThrows(HawserException.class, operation);
        assertEquals(code, refusal.code(), refusal.getMessage());
        return refusal;
    }
}
