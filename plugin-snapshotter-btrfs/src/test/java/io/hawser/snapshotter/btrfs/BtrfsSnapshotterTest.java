package io.hawser.snapshotter.btrfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.hawser.kernel.internal.SettableClock;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Usage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is particular to btrfs: subvolumes, read-only subvolumes, nested subvolumes and usage
 * against the parent. The rules every snapshotter follows are in {@link BtrfsSnapshotterConformanceTest}.
 */
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
    void committedSnapshotsAndViewsAreReadOnlySubvolumes() throws IOException {
        List<Mount> prepared = snapshotter.prepare("k", "", Map.of());
        Path subvolume = Path.of(prepared.getFirst().source());
        Files.writeString(subvolume.resolve("file"), "data");
        snapshotter.commit("layer", "k", Map.of());

        assertThrows(FileSystemException.class, () -> Files.writeString(subvolume.resolve("file"), "changed"));
        assertThrows(FileSystemException.class, () -> Files.createFile(subvolume.resolve("new")));
        assertEquals("data", Files.readString(subvolume.resolve("file")));

        List<Mount> view = snapshotter.view("look", "layer", Map.of());
        assertEquals(List.of("rbind", "ro"), view.getFirst().options());
        Path mounted = btrfs.mount(view);
        assertThrows(FileSystemException.class, () -> Files.delete(mounted.resolve("file")));
        // the subvolume is read-only itself, not only the mount
        assertThrows(FileSystemException.class, () -> Files.delete(Path.of(view.getFirst().source()).resolve("file")));
    }

    @Test
    void usageCountsTheInodesAChildAddedOrChangedInFull() throws IOException {
        Path base = Path.of(snapshotter.prepare("unpack", "", Map.of()).getFirst().source());
        Files.createDirectory(base.resolve("dir"));
        Files.write(base.resolve("dir/data"), new byte[100_000]);
        Files.write(base.resolve("untouched"), new byte[100_000]);
        Files.createLink(base.resolve("link"), base.resolve("dir/data"));
        // the subvolume root, dir, data (twice linked) and untouched
        assertEquals(new Usage(Files.size(base) + Files.size(base.resolve("dir")) + 200_000, 4), snapshotter.usage("unpack"));
        snapshotter.commit("base", "unpack", Map.of());

        Path child = Path.of(snapshotter.prepare("child", "base", Map.of()).getFirst().source());
        assertEquals(0, snapshotter.usage("child").inodes(), "an untouched snapshot owns nothing");
        Files.write(child.resolve("dir/data"), new byte[] {1}, StandardOpenOption.APPEND);

        // appending changes the file, not the directory holding it
        assertEquals(new Usage(100_001, 1), snapshotter.usage("child"));
    }

    @Test
    void cleanupDeletesWhatNoSnapshotOwnsAndNothingElse() throws IOException {
        snapshotter.prepare("unpack", "", Map.of());
        snapshotter.commit("base", "unpack", Map.of());
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
}
