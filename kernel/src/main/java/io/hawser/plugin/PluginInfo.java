package io.hawser.plugin;

import java.util.Map;
import java.util.Objects;

/**
 * One row of the plugin list.
 *
 * @param type    the plugin type ({@link PluginType})
 * @param id      the id within the type
 * @param bundle  symbolic name and version of the bundle that holds the plugin
 * @param status  the plugin's status, or why its component is not running
 * @param exports facts the plugin publishes ({@link Plugin#exports()})
 */
public record PluginInfo(String type, String id, String bundle, PluginStatus status, Map<String, String> exports) {
    public PluginInfo {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(status, "status");
        exports = Map.copyOf(exports);
    }
}
