package io.hawser.snapshotter.overlay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import io.hawser.host.KernelFilesystems;
import io.hawser.host.MountTable;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import io.hawser.snapshots.Snapshotter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The overlay snapshotter plugin, configured by {@code io.hawser.snapshotter.overlay}. It always
 * registers as a {@link Plugin}, so operators see why it does not serve; it registers the
 * {@link Snapshotter} only when the host can hold overlay snapshots under its root. The service is
 * registered by hand rather than declared, because a DS component cannot make one of its services
 * depend on a check it performs when it activates. It is immediate: the snapshotter must serve
 * from the daemon's start, not from the first time someone lists plugins.
 */
@Component(configurationPid = OverlaySnapshotterPlugin.PID, immediate = true)
@HawserPlugin(type = PluginType.SNAPSHOTTER, id = OverlaySnapshotterPlugin.ID)
@Designate(ocd = OverlaySnapshotterPlugin.Config.class)
public final class OverlaySnapshotterPlugin implements Plugin {

    static final String PID = "io.hawser.snapshotter.overlay";
    static final String ID = "overlay";

    @ObjectClassDefinition(name = "Hawser overlay snapshotter")
    public @interface Config {
        @AttributeDefinition(description = "Directory of the snapshots; empty means <root>/io.hawser.snapshotter.overlay")
        String root() default "";
    }

    private final Path root;
    private final ServiceRegistration<Snapshotter> registration;
    /** Why the plugin does not serve, decided when it activated; null when the host can serve. */
    private final PluginStatus notServing;
    /** Opened on first use. Guarded by this. */
    private OverlaySnapshotter snapshotter;
    /** Why opening the snapshots failed, if it did. Guarded by this. */
    private String openFailure;

    @Activate
    public OverlaySnapshotterPlugin(@Reference Daemon daemon, Config config, BundleContext context) {
        this.root = daemon.pluginRoot(PluginType.SNAPSHOTTER, ID, config.root());
        PluginStatus support = currentSupport();
        this.notServing = support.state() == PluginStatus.State.OK ? null : support;
        // the snapshots and their database open when the service is first got, not with the daemon
        this.registration = notServing != null ? null : context.registerService(Snapshotter.class, new Opener(),
                new Hashtable<>(Map.of(Snapshotter.SNAPSHOTTER_PROPERTY, ID)));
    }

    @Deactivate
    synchronized void deactivate() throws IOException {
        if (registration != null) {
            registration.unregister();
        }
        if (snapshotter != null) {
            snapshotter.close();
        }
    }

    /** Hands out the one snapshotter, opening it the first time. */
    private final class Opener implements ServiceFactory<Snapshotter> {
        @Override
        public Snapshotter getService(Bundle bundle, ServiceRegistration<Snapshotter> registration) {
            synchronized (OverlaySnapshotterPlugin.this) {
                if (snapshotter == null && openFailure == null) {
                    try {
                        snapshotter = new OverlaySnapshotter(root);
                    } catch (IOException e) {
                        openFailure = "cannot open the snapshots under " + root + ": " + e.getMessage();
                    }
                }
                return snapshotter;
            }
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Snapshotter> registration, Snapshotter service) {
            // one snapshotter for every user, closed with the plugin
        }
    }

    /**
     * OK while the host can serve and the snapshots opened (or were not needed yet). Otherwise the
     * host's state now when it still forbids overlay, or the reason found at activation when the
     * host has changed since.
     */
    @Override
    public synchronized PluginStatus status() {
        if (openFailure != null) {
            return PluginStatus.error(openFailure + " (restart the plugin to try again)");
        }
        if (notServing == null) {
            return PluginStatus.OK;
        }
        PluginStatus now = currentSupport();
        return now.state() == PluginStatus.State.OK
                ? PluginStatus.error(notServing.reason() + " (when the plugin started; restart it to try again)")
                : now;
    }

    @Override
    public Map<String, String> exports() {
        return Map.of("root", root.toString());
    }

    private PluginStatus currentSupport() {
        return new OverlaySupport(KernelFilesystems.current().supports("overlay"), MountTable.current()).status(root);
    }
}
