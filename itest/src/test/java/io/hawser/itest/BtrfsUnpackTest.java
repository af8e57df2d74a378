package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.hawser.host.Executables;
import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.LocalRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hawser pull --snapshotter btrfs} into a real btrfs: a loop-mounted image made with
 * {@code mkfs.btrfs}, named as the btrfs snapshotter's root in the daemon's configuration.
 */
class BtrfsUnpackTest {

    private Path work;
    private Path mountPoint;
    private Hawserd daemon;

    @BeforeEach
    void mountBtrfsAndStartDaemon() throws Exception {
        LocalRegistry.assumeInstalled();
        assumeTrue("root".equals(System.getProperty("user.name")), "loop-mounting btrfs needs root");
        assumeTrue(Executables.find("mkfs.btrfs").isPresent(), "mkfs.btrfs not installed: apt-get install btrfs-progs");
        work = Files.createTempDirectory(Path.of("/tmp"), "hawser-btrfs-");
        Path image = work.resolve("btrfs.img");
        mountPoint = Files.createDirectory(work.resolve("mnt"));
        run(List.of("truncate", "-s", "256M", image.toString()));
        run(List.of("mkfs.btrfs", "-q", image.toString()));
        run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        Path config = Files.createDirectory(work.resolve("etc"));
        Files.writeString(config.resolve("io.hawser.snapshotter.btrfs.cfg"), "root=" + mountPoint.resolve("hawser") + "\n");
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION, Map.of(), "--config", config.toString());
    }

    @AfterEach
    void stopDaemonAndUnmount() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (mountPoint != null) {
            run(List.of("umount", mountPoint.toString()));
            Leftovers.removeDirectory(work);
        }
    }

    @Test
    void anImageUnpacksIntoBtrfsSubvolumes() throws Exception {
        Hawserd.awaitTrue("the btrfs snapshotter serving", () -> daemon.hawser("plugins").out().lines()
                .anyMatch(l -> l.contains(" btrfs ") && l.contains(" ok")));
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            registry.client().push("test/busybox", "latest", ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "btrfs").build());
            String reference = registry.host() + "/test/busybox";

            Result pull = daemon.hawser("pull", "--snapshotter", "btrfs", reference);
            assertEquals(0, pull.status(), pull.err());
            assertTrue(daemon.hawser("images").out().lines().anyMatch(l -> l.contains("/test/busybox") && l.endsWith("btrfs")));
            Result snapshots = daemon.hawser("snapshots", "ls", "--snapshotter", "btrfs");
            assertEquals(2, snapshots.out().lines().filter(l -> l.endsWith("committed")).count(), snapshots.out());
            Result subvolumes = Hawserd.run(List.of("btrfs", "subvolume", "list", mountPoint.toString()));
            assertEquals(2, subvolumes.out().lines().count(), "one subvolume per layer:\n" + subvolumes.out());
        }
    }

    private static void run(List<String> command) throws Exception {
        Result result = Hawserd.run(command);
        assertEquals(0, result.status(), command + ": " + result.err());
    }
}
