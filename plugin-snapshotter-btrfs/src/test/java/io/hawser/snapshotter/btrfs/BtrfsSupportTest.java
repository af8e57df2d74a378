package io.hawser.snapshotter.btrfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.Test;

class BtrfsSupportTest {

    // mount points that do not exist on the test machine, so only this table decides
    private static final MountTable MOUNTS = MountTable.parse("""
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            40 22 8:16 / /hawser-btrfs-test/ext4 rw,relatime shared:2 - ext4 /dev/sdb rw
            41 22 8:32 / /hawser-btrfs-test/btrfs rw,relatime shared:3 - btrfs /dev/sdc rw,space_cache=v2,subvolid=5
            """);

    private static final Optional<Path> BTRFS = Optional.of(Path.of("/usr/bin/btrfs"));

    @Test
    void rootOnBtrfsWithTheProgramServes() {
        PluginStatus status = BtrfsSupport.status(Path.of("/hawser-btrfs-test/btrfs/io.hawser.snapshotter.btrfs"), MOUNTS, BTRFS);

        assertEquals(PluginStatus.OK, status);
    }

    @Test
    void missingBtrfsProgramIsAnErrorNamingThePackage() {
        PluginStatus status = BtrfsSupport.status(Path.of("/hawser-btrfs-test/btrfs/io.hawser.snapshotter.btrfs"), MOUNTS, Optional.empty());

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().contains("btrfs not found") && status.reason().contains("btrfs-progs"), status.reason());
    }

    @Test
    void rootOnAnotherFilesystemIsAnErrorNamingItTheMountAndTheConfigurationFile() {
        Path root = Path.of("/hawser-btrfs-test/ext4/io.hawser.snapshotter.btrfs");

        PluginStatus status = BtrfsSupport.status(root, MOUNTS, BTRFS);

        assertEquals(State.ERROR, status.state());
        String reason = status.reason();
        assertTrue(reason.contains("root " + root + " is on ext4"), reason);
        assertTrue(reason.contains("mounted at /hawser-btrfs-test/ext4"), reason);
        assertTrue(reason.contains("io.hawser.snapshotter.btrfs.cfg"), reason);
    }

    @Test
    void rootOutsideEveryMountIsAProblem() {
        assertEquals(Optional.of("no mount holds root /hawser-btrfs-test/none"),
                BtrfsSupport.problem(Path.of("/hawser-btrfs-test/none"), MountTable.parse("")));
    }
}
