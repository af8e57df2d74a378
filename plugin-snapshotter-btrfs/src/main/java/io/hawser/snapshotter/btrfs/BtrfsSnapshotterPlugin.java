package io.hawser.snapshotter.btrfs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import io.hawser.snapshots.Snapshotter;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The btrfs snapshotter plugin, configured by {@code io.hawser.snapshotter.btrfs}. It registers a
 * {@link Snapshotter} with {@code hawser.snapshotter=btrfs} only when, at activation, its root is
 * on btrfs, the {@code btrfs} program is there and the metadata opens; otherwise it stays listed
 * with the reason. A configuration change reactivates it, which is how an operator who mounted
 * btrfs later makes it serve.
 */
// registered by hand, so the resolver learns of the service only from this capability
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"io.hawser.snapshots.Snapshotter\"", uses = Snapshotter.class)
@Component(configurationPid = BtrfsSnapshotterPlugin.PID, immediate = true)
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
    private final BtrfsSnapshotter snapshotter;
    private final ServiceRegistration<Snapshotter> registration;
    /** Why the plugin does not serve although the host may be fine now; empty while it serves. */
    private final String notServing;

    @Activate
    public BtrfsSnapshotterPlugin(BundleContext context, @Reference Daemon daemon, Config config) {
        this.root = daemon.pluginRoot(PluginType.SNAPSHOTTER, "btrfs", config.root());
        PluginStatus host = hostStatus();
        BtrfsSnapshotter opened = null;
        String problem = "";
        if (host.state() != PluginStatus.State.OK) {
            problem = "the host was not ready when the plugin started (" + host.reason() + "); update " + PID
                    + ".cfg or restart the bundle to serve";
        } else {
            try {
                opened = new BtrfsSnapshotter(root, Clock.systemUTC());
            } catch (IOException e) {
                problem = "cannot open btrfs snapshots under " + root + ": " + e.getMessage();
            }
        }
        this.snapshotter = opened;
        this.notServing = problem;
        this.registration = opened == null ? null
                : context.registerService(Snapshotter.class, opened,
                        FrameworkUtil.asDictionary(Map.of(Snapshotter.SNAPSHOTTER_PROPERTY, "btrfs")));
    }

    @Deactivate
    void deactivate() throws IOException {
        if (registration != null) {
            registration.unregister();
            snapshotter.close();
        }
    }

    /** What the host allows now; while not serving, a host that became ready still reports why. */
    @Override
    public PluginStatus status() {
        PluginStatus host = hostStatus();
        return notServing.isEmpty() || host.state() != PluginStatus.State.OK ? host : PluginStatus.error(notServing);
    }

    @Override
    public Map<String, String> exports() {
        return Map.of("root", root.toString());
    }

    private PluginStatus hostStatus() {
        return BtrfsSupport.status(root, MountTable.current(), Executables.find("btrfs"));
    }
}
