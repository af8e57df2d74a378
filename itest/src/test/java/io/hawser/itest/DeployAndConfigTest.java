package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running daemon picks up plugin bundles dropped into {@code deploy/} and configuration files
 * written into its configuration directory, and lets them go again, without a restart. Runs a
 * private copy of the distribution so the real one stays untouched.
 */
class DeployAndConfigTest {

    private Path home;
    private Path kataBundle;
    private Hawserd daemon;

    @BeforeEach
    void startDaemonWithoutTheVmRuntime() throws Exception {
        home = Files.createTempDirectory(Path.of("/tmp"), "hawser-home-").resolve("hawser");
        Result copy = Hawserd.run(List.of("cp", "-a", Hawserd.DISTRIBUTION.toString(), home.toString()));
        assertEquals(0, copy.status(), copy.err());
        try (Stream<Path> bundles = Files.list(home.resolve("lib/bundles"))) {
            Path kata = bundles.filter(b -> b.getFileName().toString().startsWith("io.hawser.runtime.kata-")).findFirst().orElseThrow();
            kataBundle = Files.move(kata, home.resolveSibling(kata.getFileName()));
        }
        daemon = Hawserd.serving(home);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.close();
        Leftovers.removeDirectory(home.getParent());
    }

    @Test
    void aBundleDroppedIntoDeployIsInstalledAndRemovingItUninstallsIt() throws Exception {
        assertFalse(listsPlugin("kata"), "kata is not shipped in this copy");

        Files.copy(kataBundle, home.resolve("deploy").resolve(kataBundle.getFileName()));
        Hawserd.awaitTrue("kata listed after its bundle was dropped into deploy/", () -> listsPlugin("kata"));

        Files.delete(home.resolve("deploy").resolve(kataBundle.getFileName()));
        Hawserd.awaitTrue("kata gone after its bundle was removed from deploy/", () -> !listsPlugin("kata"));
        assertTrue(listsPlugin("runc"), "the other plugins stay");
    }

    @Test
    void aConfigurationFileChangesAPluginWhileTheDaemonRuns() throws Exception {
        Path elsewhere = daemon.root.resolveSibling("btrfs-elsewhere");
        Path cfg = home.resolve("etc/io.hawser.snapshotter.btrfs.cfg");

        Files.writeString(cfg, "root=" + elsewhere + "\n");
        Hawserd.awaitTrue("btrfs root moved by " + cfg, () -> btrfsRow().contains("root=" + elsewhere));
        assertTrue(btrfsRow().contains("root " + elsewhere + " is on "), btrfsRow());

        Files.delete(cfg);
        Hawserd.awaitTrue("btrfs root back to its default", () -> btrfsRow().contains("root=" + daemon.root.resolve("io.hawser.snapshotter.btrfs")));
    }

    private boolean listsPlugin(String id) throws Exception {
        Result plugins = daemon.hawser("plugins", "-q");
        assertEquals(0, plugins.status(), plugins.err());
        return plugins.out().lines().anyMatch(l -> l.endsWith(" " + id));
    }

    private String btrfsRow() throws Exception {
        Result plugins = daemon.hawser("plugins", "-d", "--type", "io.hawser.snapshotter.v1");
        assertEquals(0, plugins.status(), plugins.err());
        return plugins.out().lines().filter(l -> l.split("\\s+")[1].equals("btrfs")).findFirst().orElse("");
    }
}
