package io.hawser.commands.internal.cli;

import java.io.IOException;
import java.net.URI;

import io.hawser.commands.internal.CommandsComponent;
import io.hawser.frontend.Frontend;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** The CLI frontend: the {@code hawser} command's socket, {@code <state>/hawser.sock}. */
@Component(service = {Plugin.class, Frontend.class}, immediate = true)
@HawserPlugin(type = PluginType.FRONTEND, id = "cli")
public final class CliFrontend implements Frontend {

    private static final System.Logger LOG = System.getLogger(CliFrontend.class.getName());

    private final CliServer server;

    @Activate
    public CliFrontend(@Reference Daemon daemon, @Reference CommandsComponent commands) throws IOException {
        this.server = new CliServer(daemon.state().resolve("hawser.sock"), commands.registry());
        LOG.log(System.Logger.Level.INFO, "serving the CLI on " + endpoint());
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
    }

    @Override
    public PluginStatus status() {
        return PluginStatus.OK;
    }

    @Override
    public URI endpoint() {
        return URI.create("unix://" + server.socket());
    }
}
