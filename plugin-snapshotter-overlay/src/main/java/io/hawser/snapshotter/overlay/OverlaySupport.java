package io.hawser.snapshotter.overlay;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus;

/**
 * Whether overlay snapshots can live under a root directory on this host.
 *
 * @param kernelHasOverlay whether the kernel offers the overlay filesystem (built in, loaded or loadable)
 * @param mounts           the mount table
 */
record OverlaySupport(boolean kernelHasOverlay, MountTable mounts) {

    /** Filesystems overlayfs refuses as upper layer, or that lose its whiteouts and xattrs. */
    private static final Set<String> UNSUITABLE_UPPER = Set.of("overlay", "nfs", "nfs4", "cifs", "smb3", "fuse", "9p");

    /** The status of an overlay snapshotter rooted at {@code root}. */
    PluginStatus status(Path root) {
        if (!kernelHasOverlay) {
            return PluginStatus.error("the kernel has no overlay filesystem (not in /proc/filesystems, no overlay module)");
        }
        Optional<MountTable.Mount> mount = mounts.mountOf(root);
        if (mount.isPresent() && UNSUITABLE_UPPER.contains(mount.get().fsType())) {
            return PluginStatus.error("root " + root + " is on " + mount.get().fsType() + " (mounted at "
                    + mount.get().mountPoint() + "), which cannot hold overlay upper directories");
        }
        return PluginStatus.OK;
    }
}
