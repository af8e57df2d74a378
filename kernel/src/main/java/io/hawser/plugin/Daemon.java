package io.hawser.plugin;

import java.nio.file.Path;
import java.time.Instant;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The daemon a plugin runs in: where it keeps its data and when it started. The kernel provides
 * it from the launcher's {@code --root}, {@code --state} and {@code --config} options.
 */
@ProviderType
public interface Daemon {

    /** Framework property carrying the persistent root directory. */
    String ROOT_PROPERTY = "hawser.root";

    /** Framework property carrying the state directory (sockets, task bundles, shim state). */
    String STATE_PROPERTY = "hawser.state";

    /** Framework property carrying the configuration directory. */
    String CONFIG_PROPERTY = "hawser.config";

    /** Persistent data: content, metadata, snapshots ({@code /var/lib/hawser}). */
    Path root();

    /** Runtime state that does not outlive a reboot: sockets, task bundles ({@code /run/hawser}). */
    Path state();

    /** Configuration, watched for changes ({@code /etc/hawser}). */
    Path config();

    /** The daemon's version. */
    String version();

    /** When the daemon started. */
    Instant started();

    /**
     * The directory a plugin keeps its persistent data in, {@code <root>/<type prefix>.<id>},
     * for example {@code /var/lib/hawser/io.hawser.snapshotter.overlay}.
     */
    default Path pluginRoot(String type, String id) {
        String family = type.replaceFirst("\\.v\\d+$", "");
        return root().resolve(family + "." + id);
    }

    /**
     * The directory a plugin keeps its persistent data in when its configuration may name one:
     * {@code configuredRoot} when it is not empty, else {@link #pluginRoot(String, String)}.
     */
    default Path pluginRoot(String type, String id, String configuredRoot) {
        return configuredRoot.isEmpty() ? pluginRoot(type, id) : Path.of(configuredRoot);
    }
}
