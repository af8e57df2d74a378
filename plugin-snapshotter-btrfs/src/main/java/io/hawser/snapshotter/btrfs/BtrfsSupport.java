package io.hawser.snapshotter.btrfs;

import java.nio.file.Path;

import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus;

/** Whether btrfs snapshots can live under a root directory: the root must be on btrfs. */
final class BtrfsSupport {

    private BtrfsSupport() {}

    /** The status of a btrfs snapshotter rooted at {@code root}, given the host's mounts. */
    static PluginStatus status(Path root, MountTable mounts) {
        return mounts.mountOf(root)
                .map(mount -> mount.fsType().equals("btrfs")
                        ? PluginStatus.notImplemented("btrfs snapshots (subvolumes, snapshots, mounts) are not implemented yet")
                        : PluginStatus.error("root " + root + " is on " + mount.fsType() + " (mounted at " + mount.mountPoint()
                                + "), not btrfs: mount a btrfs filesystem there or set root in " + BtrfsSnapshotterPlugin.PID + ".cfg"))
                .orElseGet(() -> PluginStatus.error("no mount holds root " + root));
    }
}
