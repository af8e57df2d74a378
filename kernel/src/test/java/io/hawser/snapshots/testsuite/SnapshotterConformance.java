package io.hawser.snapshots.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.host.MountTable;
import io.hawser.kernel.internal.mount.LinuxMounter;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules every {@link Snapshotter} follows, as tests. A snapshotter's test class extends this
 * class and says how to build one; the suite then checks the lifecycle rules of the package
 * documentation, file content through real mounts, labels, walking, usage, cleanup, concurrent use
 * and restart.
 *
 * <p>A subclass implements two methods:
 * <ul>
 * <li>{@link #newSnapshotter(Path)} builds a snapshotter storing everything under a root
 *     directory. The suite calls it once per test, and again on the same root to simulate a
 *     daemon restart after closing the first one; a snapshotter that holds resources implements
 *     {@link AutoCloseable} and the suite closes it.
 * <li>{@link #leaveStrayStorage(Path)} creates, under that root, what a crash in the middle of an
 *     operation would leave (for example a snapshot directory no metadata names) and returns its
 *     path; {@link Snapshotter#cleanup()} must delete it.
 * </ul>
 * It may override {@link #assumeHostSupports()} to skip on hosts lacking its filesystem, and
 * {@link #snapshotterRoot(Path)} with {@link #releaseSnapshotterRoot(Path)} when the root must be
 * on a particular filesystem, such as a loop-mounted btrfs image.
 *
 * <p>Mounting needs root: without it every test is skipped with the reason printed. The suite
 * mounts only below its own temporary directory and unmounts after each test.
 */
public abstract class SnapshotterConformance {

    private static final Map<String, String> NO_LABELS = Map.of();
    private static final int MIB = 1024 * 1024;

    @TempDir
    private Path temp;

    /** The kernel's mounter, with which the suite mounts what the snapshotter returns. */
    protected final Mounter mounter = new LinuxMounter();

    /** The snapshotter under test; a new instance after {@link #restart()}. */
    protected Snapshotter snapshotter;

    private Path root;
    private Path mountPoints;
    private final AtomicInteger mountCount = new AtomicInteger();

    /** Builds a snapshotter that keeps its snapshots and metadata under {@code root}. */
    protected abstract Snapshotter newSnapshotter(Path root) throws IOException;

    /**
     * Leaves under {@code root} what an operation interrupted by a crash would: storage that no
     * snapshot owns. Called while the snapshotter is open.
     *
     * @return the leftover, which {@link Snapshotter#cleanup()} must remove
     */
    protected abstract Path leaveStrayStorage(Path root) throws IOException;

    /** Skips the test, with a reason, when the host cannot run this snapshotter. Root by default. */
    protected void assumeHostSupports() {
        HostAssumptions.assumeRoot();
    }

    /** The directory to root the snapshotter at, below the test's temporary directory. */
    protected Path snapshotterRoot(Path temporaryDirectory) throws IOException {
        return Files.createDirectories(temporaryDirectory.resolve("root"));
    }

    /** Undoes {@link #snapshotterRoot(Path)}, after the snapshotter is closed. Nothing by default. */
    protected void releaseSnapshotterRoot(Path root) throws IOException {
    }

    @BeforeEach
    final void openSnapshotter() throws IOException {
        assumeHostSupports();
        mountPoints = Files.createDirectories(temp.resolve("mounts"));
        root = snapshotterRoot(temp);
        snapshotter = newSnapshotter(root);
    }

    @AfterEach
    final void closeSnapshotter() throws IOException {
        if (mountPoints == null) {
            return;
        }
        try {
            mounter.detach(mountPoints);
            assertFalse(mountedBelow(mountPoints), "mounts left below " + mountPoints);
        } finally {
            close(snapshotter);
            releaseSnapshotterRoot(root);
        }
    }

    /** The snapshotter's root directory. */
    protected final Path root() {
        return root;
    }

    /** Closes the snapshotter and opens a new one on the same root, as a daemon restart does. */
    protected final void restart() throws IOException {
        close(snapshotter);
        snapshotter = newSnapshotter(root);
    }

    // ---- lifecycle rules ----

    @Test
    void prepareMakesAnActiveSnapshot() throws IOException {
        Instant before = Instant.now();

        List<Mount> mounts = snapshotter.prepare("active", "", Map.of("a", "1"));

        assertFalse(mounts.isEmpty());
        SnapshotInfo info = snapshotter.stat("active");
        assertEquals(Kind.ACTIVE, info.kind());
        assertEquals("active", info.name());
        assertEquals("", info.parent());
        assertEquals(Map.of("a", "1"), info.labels());
        assertFalse(info.created().isBefore(before.minusSeconds(1)), "created " + info.created());
    }

    @Test
    void commitTurnsAnActiveSnapshotIntoACommittedOneUnderItsName() throws IOException {
        committed("base", "");
        snapshotter.prepare("work", "base", Map.of("stage", "unpack"));

        snapshotter.commit("layer", "work", Map.of("stage", "done"));

        SnapshotInfo info = snapshotter.stat("layer");
        assertEquals(Kind.COMMITTED, info.kind());
        assertEquals("base", info.parent());
        assertEquals(Map.of("stage", "done"), info.labels());
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.stat("work"));
    }

    @Test
    void keysAndNamesShareOneNamespace() throws IOException {
        committed("committed", "");
        snapshotter.prepare("active", "", NO_LABELS);
        snapshotter.view("view", "committed", NO_LABELS);

        assertCode(ErrorCode.ALREADY_EXISTS, () -> snapshotter.prepare("active", "", NO_LABELS));
        assertCode(ErrorCode.ALREADY_EXISTS, () -> snapshotter.prepare("view", "", NO_LABELS));
        assertCode(ErrorCode.ALREADY_EXISTS, () -> snapshotter.view("committed", "committed", NO_LABELS));
        snapshotter.prepare("other", "", NO_LABELS);
        assertCode(ErrorCode.ALREADY_EXISTS, () -> snapshotter.commit("committed", "other", NO_LABELS));
        assertCode(ErrorCode.ALREADY_EXISTS, () -> snapshotter.commit("view", "other", NO_LABELS));
        assertEquals(Kind.ACTIVE, snapshotter.stat("other").kind(), "a refused commit leaves the snapshot active");
    }

    @Test
    void emptyKeysAndNamesAreRefused() throws IOException {
        snapshotter.prepare("active", "", NO_LABELS);

        assertCode(ErrorCode.INVALID_ARGUMENT, () -> snapshotter.prepare("", "", NO_LABELS));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> snapshotter.view("", "", NO_LABELS));
        assertCode(ErrorCode.INVALID_ARGUMENT, () -> snapshotter.commit("", "active", NO_LABELS));
        assertEquals(List.of("active"), names(info -> true));
    }

    @Test
    void aMissingParentIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.prepare("k", "missing", NO_LABELS));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.view("v", "missing", NO_LABELS));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.stat("k"));
    }

    @Test
    void onlyCommittedSnapshotsCanBeParents() throws IOException {
        committed("committed", "");
        snapshotter.prepare("active", "committed", NO_LABELS);
        snapshotter.view("view", "committed", NO_LABELS);

        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.prepare("k1", "active", NO_LABELS));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.view("k2", "active", NO_LABELS));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.prepare("k3", "view", NO_LABELS));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.stat("k1"));
    }

    @Test
    void onlyActiveSnapshotsCanBeCommitted() throws IOException {
        committed("committed", "");
        snapshotter.view("view", "committed", NO_LABELS);

        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.commit("n1", "view", NO_LABELS));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.commit("n2", "committed", NO_LABELS));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.commit("n3", "missing", NO_LABELS));
        assertEquals(Kind.VIEW, snapshotter.stat("view").kind());
    }

    @Test
    void aCommittedSnapshotWithChildrenCannotBeRemoved() throws IOException {
        committed("base", "");
        committed("middle", "base");
        snapshotter.view("view", "middle", NO_LABELS);

        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.remove("base"));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.remove("middle"));

        snapshotter.remove("view");
        snapshotter.remove("middle");
        snapshotter.remove("base");
        assertEquals(List.of(), names(info -> true));
    }

    @Test
    void everyMethodReportsAMissingSnapshot() {
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.stat("missing"));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.update("missing", NO_LABELS));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.usage("missing"));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.mounts("missing"));
        assertCode(ErrorCode.NOT_FOUND, () -> snapshotter.remove("missing"));
    }

    @Test
    void mountsRepeatWhatPrepareAndViewReturned() throws IOException {
        committed("base", "");
        committed("top", "base");

        List<Mount> empty = snapshotter.prepare("empty", "", NO_LABELS);
        List<Mount> onOne = snapshotter.prepare("on-one", "base", NO_LABELS);
        List<Mount> onTwo = snapshotter.prepare("on-two", "top", NO_LABELS);
        List<Mount> viewOne = snapshotter.view("view-one", "base", NO_LABELS);
        List<Mount> viewTwo = snapshotter.view("view-two", "top", NO_LABELS);

        assertEquals(empty, snapshotter.mounts("empty"));
        assertEquals(onOne, snapshotter.mounts("on-one"));
        assertEquals(onTwo, snapshotter.mounts("on-two"));
        assertEquals(viewOne, snapshotter.mounts("view-one"));
        assertEquals(viewTwo, snapshotter.mounts("view-two"));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> snapshotter.mounts("base"));
    }

    @Test
    void keysAreNotPaths() throws IOException {
        String key = "../../escape/with spaces:and/slashes";

        write(snapshotter.prepare(key, "", NO_LABELS), Map.of("file", "inside"));
        snapshotter.commit("sha256:0123/../x", key, NO_LABELS);

        assertEquals(Map.of("file", "inside"), read(snapshotter.view("look", "sha256:0123/../x", NO_LABELS)));
        for (Path outside : List.of(root.resolve("escape"), root.getParent().resolve("escape"), temp.resolve("escape"))) {
            assertFalse(Files.exists(outside), "a key was taken as a path: " + outside + " exists");
        }
    }

    // ---- content through mounts ----

    @Test
    void filesFlowThroughTheLayers() throws IOException {
        write(snapshotter.prepare("k-base", "", NO_LABELS),
                Map.of("kept", "base", "changed", "base", "deleted", "base", "dir/nested", "base"));
        snapshotter.commit("base", "k-base", NO_LABELS);

        List<Mount> child = snapshotter.prepare("k-child", "base", NO_LABELS);
        Path tree = mount(child);
        try {
            assertEquals(Map.of("kept", "base", "changed", "base", "deleted", "base", "dir/nested", "base"), files(tree));
            Files.writeString(tree.resolve("changed"), "child");
            Files.delete(tree.resolve("deleted"));
            Files.delete(tree.resolve("dir/nested"));
            Files.delete(tree.resolve("dir"));
            Files.writeString(tree.resolve("added"), "child");
        } finally {
            mounter.unmount(tree);
        }
        snapshotter.commit("child", "k-child", NO_LABELS);

        assertEquals(Map.of("kept", "base", "changed", "child", "added", "child"),
                read(snapshotter.view("v-child", "child", NO_LABELS)));
        assertEquals(Map.of("kept", "base", "changed", "base", "deleted", "base", "dir/nested", "base"),
                read(snapshotter.view("v-base", "base", NO_LABELS)), "a child's changes leak into its parent");
    }

    @Test
    void theTopmostLayerWins() throws IOException {
        committedWith("one", "", Map.of("f", "1", "only-one", "1"));
        committedWith("two", "one", Map.of("f", "2"));
        committedWith("three", "two", Map.of("g", "3"));

        assertEquals(Map.of("f", "2", "g", "3", "only-one", "1"), read(snapshotter.view("v", "three", NO_LABELS)));
        assertEquals(Map.of("f", "2", "g", "3", "only-one", "1"), read(snapshotter.prepare("a", "three", NO_LABELS)));
    }

    @Test
    void aViewIsReadOnly() throws IOException {
        committedWith("base", "", Map.of("file", "base"));

        for (List<Mount> view : List.of(snapshotter.view("one-layer", "base", NO_LABELS),
                snapshotter.view("empty", "", NO_LABELS))) {
            Path tree = mount(view);
            try {
                assertThrows(FileSystemException.class, () -> Files.writeString(tree.resolve("new"), "x"));
            } finally {
                mounter.unmount(tree);
            }
        }
        committedWith("top", "base", Map.of("top", "top"));
        Path tree = mount(snapshotter.view("two-layers", "top", NO_LABELS));
        try {
            assertEquals("base", Files.readString(tree.resolve("file")));
            assertThrows(FileSystemException.class, () -> Files.delete(tree.resolve("file")));
        } finally {
            mounter.unmount(tree);
        }
    }

    @Test
    void aRemovedKeyCanBePreparedAgainAndStartsEmpty() throws IOException {
        write(snapshotter.prepare("k", "", NO_LABELS), Map.of("old", "content"));
        snapshotter.remove("k");

        assertEquals(Map.of(), read(snapshotter.prepare("k", "", NO_LABELS)));
        snapshotter.cleanup();
        assertEquals(Map.of(), read(snapshotter.mounts("k")));
    }

    // ---- labels, walk, usage ----

    @Test
    void updateReplacesTheLabelsAndNothingElse() throws IOException {
        committed("base", "");
        snapshotter.prepare("k", "base", Map.of("old", "1", "kept", "2"));
        SnapshotInfo before = snapshotter.stat("k");

        SnapshotInfo after = snapshotter.update("k", Map.of("kept", "2", "new", "3"));

        assertEquals(Map.of("kept", "2", "new", "3"), after.labels());
        assertEquals(after, snapshotter.stat("k"));
        assertEquals(before.kind(), after.kind());
        assertEquals(before.parent(), after.parent());
        assertEquals(before.created(), after.created());
        assertFalse(after.updated().isBefore(before.updated()));
        assertEquals(Map.of(), snapshotter.update("base", Map.of()).labels());
    }

    @Test
    void walkVisitsWhatTheFilterAccepts() throws IOException {
        committed("committed", "");
        snapshotter.prepare("active", "committed", Map.of("team", "a"));
        snapshotter.view("view", "committed", Map.of("team", "b"));

        assertEquals(List.of("active", "committed", "view"), names(info -> true));
        assertEquals(List.of("active"), names(info -> info.kind() == Kind.ACTIVE));
        assertEquals(List.of("committed"), names(info -> info.kind() == Kind.COMMITTED));
        assertEquals(List.of("view"), names(info -> "b".equals(info.labels().get("team"))));
        assertEquals(List.of("active", "view"), names(info -> info.parent().equals("committed")));
    }

    @Test
    void usageGrowsWithWrittenFilesAndCountsHardLinksOnce() throws IOException {
        snapshotter.prepare("k", "", NO_LABELS);
        Usage empty = snapshotter.usage("k");
        Path tree = mount(snapshotter.mounts("k"));
        try {
            Files.write(tree.resolve("big"), new byte[MIB]);
            for (int i = 0; i < 10; i++) {
                Files.writeString(tree.resolve("small-" + i), "x");
            }
        } finally {
            mounter.unmount(tree);
        }
        Usage written = snapshotter.usage("k");
        assertTrue(written.size() >= empty.size() + MIB, empty + " then " + written);
        assertTrue(written.inodes() >= empty.inodes() + 11, empty + " then " + written);

        tree = mount(snapshotter.mounts("k"));
        try {
            Files.createLink(tree.resolve("link"), tree.resolve("big"));
        } finally {
            mounter.unmount(tree);
        }
        Usage linked = snapshotter.usage("k");
        assertTrue(linked.size() < written.size() + MIB, "a hard link counted twice: " + written + " then " + linked);

        snapshotter.commit("n", "k", NO_LABELS);
        assertEquals(linked, snapshotter.usage("n"));
    }

    @Test
    void usageCountsASnapshotsOwnFilesOnly() throws IOException {
        committedWith("base", "", Map.of("big", "x".repeat(MIB)));
        snapshotter.prepare("child", "base", NO_LABELS);

        assertTrue(snapshotter.usage("base").size() >= MIB);
        assertTrue(snapshotter.usage("child").size() < MIB, "child usage " + snapshotter.usage("child"));
    }

    // ---- cleanup ----

    @Test
    void cleanupReclaimsRemovedSnapshots() throws IOException {
        long before = bytesBelow(root);
        committedWith("committed", "", Map.of("big", "x".repeat(2 * MIB)));
        write(snapshotter.prepare("active", "", NO_LABELS), Map.of("big", "y".repeat(2 * MIB)));
        snapshotter.remove("active");
        snapshotter.remove("committed");

        snapshotter.cleanup();

        long after = bytesBelow(root);
        assertTrue(after < before + MIB, "before " + before + " bytes, after cleanup " + after);
    }

    @Test
    void cleanupRemovesWhatACrashLeftBehind() throws IOException {
        committedWith("kept", "", Map.of("file", "kept"));
        Path stray = leaveStrayStorage(root);
        assertTrue(Files.exists(stray, LinkOption.NOFOLLOW_LINKS), "the stray storage " + stray + " was not created");

        snapshotter.cleanup();

        assertFalse(Files.exists(stray, LinkOption.NOFOLLOW_LINKS), stray + " survived cleanup");
        assertEquals(Map.of("file", "kept"), read(snapshotter.view("v", "kept", NO_LABELS)));
    }

    // ---- concurrency and restart ----

    @Test
    void concurrentPreparesAndCommitsStayConsistent() throws Exception {
        committed("base", "");
        int threads = 8;
        int perThread = 10;
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    String key = "k-" + thread + "-" + i;
                    snapshotter.prepare(key, "base", Map.of("thread", String.valueOf(thread)));
                    if (i % 2 == 0) {
                        snapshotter.commit("n-" + thread + "-" + i, key, NO_LABELS);
                    } else if (i % 3 == 0) {
                        snapshotter.remove(key);
                    }
                }
                return null;
            });
        }
        runTogether(work);

        Set<String> expected = new HashSet<>(Set.of("base"));
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                if (i % 2 == 0) {
                    expected.add("n-" + t + "-" + i);
                } else if (i % 3 != 0) {
                    expected.add("k-" + t + "-" + i);
                }
            }
        }
        assertEquals(expected, Set.copyOf(names(info -> true)));
        for (String name : expected) {
            assertEquals(name.equals("base") ? "" : "base", snapshotter.stat(name).parent(), name);
        }
    }

    @Test
    void concurrentPreparesOfOneKeyLetOneWin() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            work.add(() -> {
                try {
                    snapshotter.prepare("contested", "", NO_LABELS);
                } catch (HawserException e) {
                    assertEquals(ErrorCode.ALREADY_EXISTS, e.code(), e.getMessage());
                    refused.incrementAndGet();
                }
                return null;
            });
        }
        runTogether(work);

        assertEquals(7, refused.get());
        assertEquals(List.of("contested"), names(info -> true));
    }

    @Test
    void snapshotsSurviveARestart() throws IOException {
        committedWith("base", "", Map.of("base-file", "base"));
        snapshotter.update("base", Map.of("label", "kept"));
        List<Mount> active = snapshotter.prepare("active", "base", Map.of("x", "y"));
        write(active, Map.of("active-file", "active"));
        snapshotter.view("view", "base", NO_LABELS);
        Set<SnapshotInfo> before = infos();

        restart();

        assertEquals(before, infos());
        assertEquals(active, snapshotter.mounts("active"));
        assertEquals(Map.of("base-file", "base", "active-file", "active"), read(snapshotter.mounts("active")));
        snapshotter.commit("top", "active", NO_LABELS);
        assertEquals("base", snapshotter.stat("top").parent());
    }

    // ---- helpers for subclasses and the tests above ----

    /** Prepares, leaves empty and commits a snapshot. */
    protected final void committed(String name, String parent) throws IOException {
        committedWith(name, parent, Map.of());
    }

    /** Prepares a snapshot, writes files into it through its mounts and commits it. */
    protected final void committedWith(String name, String parent, Map<String, String> files) throws IOException {
        String key = "prepare-" + name;
        write(snapshotter.prepare(key, parent, NO_LABELS), files);
        snapshotter.commit(name, key, NO_LABELS);
    }

    /** Mounts, writes files (relative path to content, parents created) and unmounts. */
    protected final void write(List<Mount> mounts, Map<String, String> files) throws IOException {
        mounter.withMounted(mounts, newMountPoint(), tree -> {
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = tree.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return null;
        });
    }

    /** Mounts, reads every regular file (relative path to content) and unmounts. */
    protected final Map<String, String> read(List<Mount> mounts) throws IOException {
        return mounter.withMounted(mounts, newMountPoint(), SnapshotterConformance::files);
    }

    /** Mounts at a fresh directory; the caller unmounts it. */
    protected final Path mount(List<Mount> mounts) throws IOException {
        Path at = newMountPoint();
        mounter.mount(mounts, at);
        return at;
    }

    private Path newMountPoint() throws IOException {
        return Files.createDirectories(mountPoints.resolve(String.valueOf(mountCount.incrementAndGet())));
    }

    private static Map<String, String> files(Path tree) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    files.put(tree.relativize(path).toString(), Files.readString(path));
                }
            }
        }
        return files;
    }

    private List<String> names(Predicate<? super SnapshotInfo> filter) throws IOException {
        List<String> names = new ArrayList<>();
        snapshotter.walk(filter, info -> names.add(info.name()));
        names.sort(Comparator.naturalOrder());
        return names;
    }

    private Set<SnapshotInfo> infos() throws IOException {
        Set<SnapshotInfo> infos = new HashSet<>();
        snapshotter.walk(info -> true, infos::add);
        return infos;
    }

    private static void runTogether(List<Callable<Void>> work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(work.size())) {
            List<Future<Void>> results = pool.invokeAll(work);
            for (Future<Void> result : results) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
    }

    private static long bytesBelow(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static boolean mountedBelow(Path directory) throws IOException {
        Path real = directory.toRealPath();
        return MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().startsWith(real));
    }

    private static void close(Snapshotter snapshotter) throws IOException {
        if (snapshotter instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("cannot close " + snapshotter, e);
            }
        }
    }

    private static void assertCode(ErrorCode code, Executable call) {
        HawserException e = assertThrows(HawserException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }
}
