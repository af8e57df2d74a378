package io.hawser.frontend;

import java.net.URI;
import java.util.Map;

import io.hawser.plugin.Plugin;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What an API frontend registers: a plugin with an endpoint. Register it with
 * {@code @HawserPlugin(type = PluginType.FRONTEND, id = …)}.
 */
@ConsumerType
public interface Frontend extends Plugin {

    /** The endpoint clients connect to, for example {@code unix:///run/hawser/cri.sock}. */
    URI endpoint();

    /** A frontend exports its endpoint as {@code address}. */
    @Override
    default Map<String, String> exports() {
        return Map.of("address", endpoint().toString());
    }
}
