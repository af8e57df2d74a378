package io.hawser.plugin;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every plugin the daemon knows: running ones with the status they report, and plugin
 * components that could not start, with the reason. The kernel provides it.
 */
@ProviderType
public interface PluginRegistry {

    /** All plugins, ordered by type then id. */
    List<PluginInfo> plugins();

    /** The plugin with this type and id, if its bundle is present. */
    default Optional<PluginInfo> plugin(String type, String id) {
        return plugins().stream().filter(p -> p.type().equals(type) && p.id().equals(id)).findFirst();
    }
}
