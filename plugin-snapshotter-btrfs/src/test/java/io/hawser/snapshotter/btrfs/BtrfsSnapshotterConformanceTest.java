package io.hawser.snapshotter.btrfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.testsuite.SnapshotterConformance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kernel's snapshotter rules on a fresh loop-mounted btrfs for every test. */
class BtrfsSnapshotterConformanceTest extends SnapshotterConformance {

    /** Mounts before the suite opens the snapshotter and unmounts after it closed it. */
    @RegisterExtension
    final BtrfsRootExtension btrfs = new BtrfsRootExtension();

    @Override
    protected Path snapshotterRoot(Path temporaryDirectory) {
        return btrfs.root();
    }

    @Override
    protected Snapshotter newSnapshotter(Path root) throws IOException {
        return new BtrfsSnapshotter(root, Clock.systemUTC());
    }

    /**
     * A subvolume no row names, as a crash between snapshotting and committing the row leaves,
     * holding a subvolume a container made in it, which the kernel refuses to delete along with it.
     */
    @Override
    protected Path leaveStrayStorage(Path root) throws IOException {
        Path stray = root.resolve("snapshots/999999");
        Btrfs.createSubvolume(stray);
        Btrfs.createSubvolume(stray.resolve("nested"));
        Files.writeString(stray.resolve("nested/half-unpacked"), "x");
        return stray;
    }
}
