package io.hawser.snapshotter.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.Test;

class OverlaySupportTest {

    // mount points that do not exist on the test machine, so only this table decides
    private static final MountTable MOUNTS = MountTable.parse("""
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            40 22 0:40 / /hawser-overlay-test/overlay rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w
            41 22 0:41 / /hawser-overlay-test/nfs rw,relatime - nfs4 server:/export rw,vers=4.2
            42 22 8:16 / /hawser-overlay-test/ext4 rw,relatime - ext4 /dev/sdb rw
            """);

    @Test
    void kernelWithoutOverlayIsAnError() {
        PluginStatus status = new OverlaySupport(false, MOUNTS).status(Path.of("/hawser-overlay-test/ext4/root"));

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().contains("no overlay filesystem"), status.reason());
    }

    @Test
    void rootOnOverlayIsAnErrorNamingTheFilesystemAndMount() {
        Path root = Path.of("/hawser-overlay-test/overlay/root");

        PluginStatus status = new OverlaySupport(true, MOUNTS).status(root);

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().contains("root " + root + " is on overlay (mounted at /hawser-overlay-test/overlay)"), status.reason());
    }

    @Test
    void rootOnNfsIsAnError() {
        PluginStatus status = new OverlaySupport(true, MOUNTS).status(Path.of("/hawser-overlay-test/nfs/root"));

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().contains("is on nfs4"), status.reason());
    }

    @Test
    void rootOnExt4IsSupported() {
        PluginStatus status = new OverlaySupport(true, MOUNTS).status(Path.of("/hawser-overlay-test/ext4/root"));

        assertEquals(PluginStatus.OK, status);
    }
}
