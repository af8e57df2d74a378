package io.hawser.cri;

import java.net.URI;

import io.hawser.frontend.Frontend;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The CRI frontend: kubelet and crictl will reach it at {@code unix://<state>/cri.sock}. */
@Component(service = {Plugin.class, Frontend.class})
@HawserPlugin(type = PluginType.FRONTEND, id = "cri")
public final class CriFrontend implements Frontend {

    private final URI endpoint;

    @Activate
    public CriFrontend(@Reference Daemon daemon) {
        this.endpoint = URI.create("unix://" + daemon.state().resolve("cri.sock"));
    }

    @Override
    public PluginStatus status() {
        return PluginStatus.notImplemented("the CRI RuntimeService and ImageService are not served yet; " + endpoint + " is not bound");
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }
}
