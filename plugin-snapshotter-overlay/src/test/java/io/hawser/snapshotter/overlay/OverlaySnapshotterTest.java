package io.hawser.snapshotter.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.metadata.SnapshotMetadata;
import io.hawser.snapshots.testsuite.HostAssumptions;
import io.hawser.snapshots.testsuite.SnapshotterConformance;
import org.junit.jupiter.api.Test;

/** The kernel's snapshotter rules on real overlay mounts, and what is particular to overlay. */
class OverlaySnapshotterTest extends SnapshotterConformance {

    private static final int MANY_LAYERS = 120;

    @Override
    protected Snapshotter newSnapshotter(Path root) throws IOException {
        return new OverlaySnapshotter(root);
    }

    /** A snapshot directory with content and no row, as a crash between mkdir and commit leaves. */
    @Override
    protected Path leaveStrayStorage(Path root) throws IOException {
        Path stray = root.resolve("snapshots/999999");
        Files.createDirectories(stray.resolve("work"));
        Files.writeString(Files.createDirectories(stray.resolve("fs")).resolve("half-unpacked"), "x");
        return stray;
    }

    @Override
    protected void assumeHostSupports() {
        HostAssumptions.assumeRootWithOverlay();
    }

    @Test
    void manyLayersMountThroughDirectoriesRelativeToTheSnapshots() throws IOException {
        Map<String, String> expected = new HashMap<>();
        String parent = "";
        for (int layer = 0; layer < MANY_LAYERS; layer++) {
            String name = "layer-" + layer;
            committedWith(name, parent, Map.of("from-" + layer, name, "top", name));
            expected.put("from-" + layer, name);
            parent = name;
        }
        expected.put("top", parent);

        List<Mount> mounts = snapshotter.prepare("container", parent, Map.of());

        Mount overlay = mounts.getFirst();
        assertEquals(1, mounts.size());
        assertEquals(root().resolve("snapshots").toString(), overlay.workingDirectory());
        String lowerdir = option(overlay, "lowerdir=");
        assertEquals(MANY_LAYERS, lowerdir.split(":").length);
        assertFalse(lowerdir.contains("/" + root().getFileName() + "/"), "lower directories are not relative: " + lowerdir);
        long absoluteBytes = lowerdir.length() + (long) MANY_LAYERS * (overlay.workingDirectory().length() + 1);
        assertTrue(absoluteBytes > Mount.MAX_OPTION_BYTES, "the layers would have fit with absolute paths: " + absoluteBytes);

        assertEquals(expected, read(mounts));
        write(mounts, Map.of("top", "container"));
        expected.put("top", "container");
        assertEquals(expected, read(snapshotter.mounts("container")));
        expected.put("top", parent);
        assertEquals(expected, read(snapshotter.view("look", parent, Map.of())));
    }

    @Test
    void aFewLayersUseAbsolutePathsNearestParentFirst() throws IOException {
        Path bottom = layer("bottom", "");
        Path top = layer("top", "bottom");

        Mount overlay = snapshotter.prepare("k", "top", Map.of()).getFirst();

        Path own = root().resolve("snapshots").resolve(option(overlay, "upperdir=")).getParent();
        assertEquals(new Mount("overlay", "overlay", List.of(
                "lowerdir=" + top + ":" + bottom, "upperdir=" + own.resolve("fs"), "workdir=" + own.resolve("work"))), overlay);
        assertTrue(own.startsWith(root().resolve("snapshots")), own.toString());
    }

    @Test
    void viewsOfOneLayerOrNoneAreReadOnlyBindMounts() throws IOException {
        Path bottom = layer("bottom", "");
        Path top = layer("top", "bottom");

        assertEquals(List.of(new Mount("bind", bottom.toString(), List.of("rbind", "ro"))), snapshotter.view("one", "bottom", Map.of()));
        List<Mount> empty = snapshotter.view("empty", "", Map.of());
        assertEquals(List.of(new Mount("bind", fs(empty).toString(), List.of("rbind", "ro"))), empty);
        List<Mount> fresh = snapshotter.prepare("fresh", "", Map.of());
        assertEquals(List.of(new Mount("bind", fs(fresh).toString(), List.of("rbind", "rw"))), fresh);
        assertEquals(List.of(new Mount("overlay", "overlay", List.of("ro", "lowerdir=" + top + ":" + bottom))),
                snapshotter.view("two", "top", Map.of()));
    }

    @Test
    void metadataSurvivesARestartInItsOwnDatabase() throws IOException {
        committedWith("base", "", Map.of("file", "base"));
        Path activeFs = fs(snapshotter.prepare("active", "base", Map.of("owner", "test")));

        restart();

        assertTrue(Files.isRegularFile(root().resolve(SnapshotMetadata.FILE_NAME)));
        assertEquals(Kind.ACTIVE, snapshotter.stat("active").kind());
        assertEquals(Map.of("owner", "test"), snapshotter.stat("active").labels());
        assertEquals(activeFs, fs(snapshotter.mounts("active")));
        assertEquals(Map.of("file", "base"), read(snapshotter.mounts("active")));
    }

    @Test
    void removeLeavesTheDirectoryForCleanupAndIdsAreNeverReused() throws IOException {
        Path removed = fs(snapshotter.prepare("k", "", Map.of()));

        snapshotter.remove("k");
        assertTrue(Files.isDirectory(removed), "remove deleted the directory at once");
        Path again = fs(snapshotter.prepare("k", "", Map.of()));
        assertNotEquals(removed, again);

        snapshotter.cleanup();
        assertFalse(Files.exists(removed));
        assertTrue(Files.isDirectory(again));
    }

    /** Prepares and commits an empty layer, returning its {@code fs} directory as its mounts named it. */
    private Path layer(String name, String parent) throws IOException {
        Path fs = fs(snapshotter.prepare("prepare-" + name, parent, Map.of()));
        snapshotter.commit(name, "prepare-" + name, Map.of());
        return fs;
    }

    /** The directory an active snapshot's mounts write to. */
    private static Path fs(List<Mount> mounts) {
        Mount mount = mounts.getFirst();
        return Path.of(mount.bind() ? mount.source() : option(mount, "upperdir="));
    }

    private static String option(Mount mount, String prefix) {
        return mount.options().stream().filter(o -> o.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }
}
