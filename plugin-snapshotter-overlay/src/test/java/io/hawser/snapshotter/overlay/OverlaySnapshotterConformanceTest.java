package io.hawser.snapshotter.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.testsuite.HostAssumptions;
import io.hawser.snapshots.testsuite.SnapshotterConformance;

/** The kernel's snapshotter rules, on real overlay mounts. */
class OverlaySnapshotterConformanceTest extends SnapshotterConformance {

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
}
