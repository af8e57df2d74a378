package io.hawser.snapshotter.btrfs;

import java.nio.file.Path;
import java.util.Optional;

import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus;

/** Whether btrfs snapshots can live under a root directory: the root must be on btrfs. */
final class BtrfsSupport {

    private BtrfsSupport() {}

    /**
     * The status of a btrfs snapshotter rooted at {@code root}, given the host's mounts and where
     * the {@code btrfs} program is.
     */
    static PluginStatus status(Path root, MountTable mounts, Optional<Path> btrfsProgram) {
        if (btrfsProgram.isEmpty()) {
            return PluginStatus.error(Executables.notFound("btrfs") + "; install btrfs-progs");
        }
        return problem(root, mounts)
                .map(problem -> PluginStatus.error(problem + ": mount a btrfs filesystem there or set root in "
                        + BtrfsSnapshotterPlugin.PID + ".cfg"))
                .orElse(PluginStatus.OK);
    }

    /** Why {@code root} cannot hold btrfs snapshots, or empty when it is on btrfs. */
    static Optional<String> problem(Path root, MountTable mounts) {
        Optional<MountTable.Mount> mount = mounts.mountOf(root);
        if (mount.isEmpty()) {
            return Optional.of("no mount holds root " + root);
        }
        if (mount.get().fsType().equals("btrfs")) {
            return Optional.empty();
        }
        return Optional.of("root " + root + " is on " + mount.get().fsType() + " (mounted at " + mount.get().mountPoint() + "), not btrfs");
    }
}
