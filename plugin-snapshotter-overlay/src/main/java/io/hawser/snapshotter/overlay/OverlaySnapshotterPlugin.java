package io.hawser.snapshotter.overlay;

import java.nio.file.Path;
import java.util.Map;

import io.hawser.host.KernelFilesystems;
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

/** The overlay snapshotter plugin, configured by {@code io.hawser.snapshotter.overlay}. */
@Component(configurationPid = OverlaySnapshotterPlugin.PID)
@HawserPlugin(type = PluginType.SNAPSHOTTER, id = "overlay")
@Designate(ocd = OverlaySnapshotterPlugin.Config.class)
public final class OverlaySnapshotterPlugin implements Plugin {

    static final String PID = "io.hawser.snapshotter.overlay";

    @ObjectClassDefinition(name = "Hawser overlay snapshotter")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the snapshots; empty means <root>/io.hawser.snapshotter.overlay")
        String root() default "";
    }

    private final Path root;

    @Activate
    public OverlaySnapshotterPlugin(@Reference Daemon daemon, Config config) {
        this.root = daemon.pluginRoot(PluginType.SNAPSHOTTER, "overlay", config.root());
    }

    @Override
    public PluginStatus status() {
        return new OverlaySupport(KernelFilesystems.current().supports("overlay"), MountTable.current()).status(root);
    }

    @Override
    public Map<String, String> exports() {
        return Map.of("root", root.toString());
    }
}
