package io.hawser.plugin;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service every plugin component registers, beside whatever functional service it offers.
 * Its type and id are the component properties declared with {@link HawserPlugin}.
 *
 * <p>{@link #status()} is asked each time an operator lists plugins, so it reports the state of
 * the host as it is now (a binary installed after start, a filesystem mounted later), and it must
 * be cheap: a few file checks, never a network call or a process start.
 */
@ConsumerType
public interface Plugin {

    /** The plugin's state now. */
    PluginStatus status();

    /**
     * Facts the plugin publishes for operators and other plugins: its root directory, its socket
     * address, the binary it drives. Empty by default.
     */
    default Map<String, String> exports() {
        return Map.of();
    }
}
