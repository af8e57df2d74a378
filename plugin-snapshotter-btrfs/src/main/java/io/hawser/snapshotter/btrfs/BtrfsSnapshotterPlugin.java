package io.hawser.snapshotter.btrfs;

import java.nio.file.Path;
import java.util.Map;

import io.hawser.host.MountTable;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The btrfs snapshotter plugin, configured by {@code io.hawser.snapshotter.btrfs}. */
@Component(configurationPid = BtrfsSnapshotterPlugin.PID)
@HawserPlugin(type = PluginType.SNAPSHOTTER, id = "btrfs")
@Designate(ocd = BtrfsSnapshotterPlugin.Config.class)
public final class BtrfsSnapshotterPlugin implements Plugin {

    static final String PID = "io.hawser.snapshotter.btrfs";

    @ObjectClassDefinition(name = "Hawser btrfs snapshotter")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the subvolumes, on a btrfs filesystem; empty means <root>/io.hawser.snapshotter.btrfs")
        String root() default "";
    }

    private final Path root;

    @Activate
    public BtrfsSnapshotterPlugin(@Reference Daemon daemon, Config config) {
        this.root = daemon.pluginRoot(PluginType.SNAPSHOTTER, "btrfs", config.root());
    }

    @Override
    public PluginStatus status() {
        return BtrfsSupport.status(root, MountTable.current());
    }

    @Override
    public Map<String, String> exports() {
        return Map.of("root", root.toString());
    }
}
