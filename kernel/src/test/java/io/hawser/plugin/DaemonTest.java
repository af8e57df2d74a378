package io.hawser.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DaemonTest {

    private static Daemon rootedAt(Path root) {
        return new FixedDaemon(root, Path.of("/run/hawser"), Path.of("/etc/hawser"));
    }

    @Test
    void pluginRootDropsTheTypeVersionAndAppendsTheId() {
        Daemon daemon = rootedAt(Path.of("/var/lib/hawser"));

        assertEquals(Path.of("/var/lib/hawser/io.hawser.snapshotter.overlay"), daemon.pluginRoot(PluginType.SNAPSHOTTER, "overlay"));
        assertEquals(Path.of("/var/lib/hawser/io.hawser.runtime.kata"), daemon.pluginRoot("io.hawser.runtime.v12", "kata"));
    }

    @Test
    void pluginRootKeepsATypeWithoutVersion() {
        Daemon daemon = rootedAt(Path.of("/srv/hawser"));

        assertEquals(Path.of("/srv/hawser/com.example.v1x.thing"), daemon.pluginRoot("com.example.v1x", "thing"));
    }
}
