package io.hawser.commands.internal.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;

import io.hawser.commands.internal.CommandsComponent;
import io.hawser.frontend.Frontend;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The CLI frontend: the {@code hawser} command's socket, {@code <state>/hawser.sock}. While the
 * daemon starts, the socket appears only once the framework has started every bundle, so a
 * client that reaches it finds every command there, as containerd answers only once its plugins
 * are loaded.
 */
@Component(service = {Plugin.class, Frontend.class}, immediate = true)
@HawserPlugin(type = PluginType.FRONTEND, id = "cli")
public final class CliFrontend implements Frontend, FrameworkListener {

    private static final System.Logger LOG = System.getLogger(CliFrontend.class.getName());

    private final BundleContext context;
    private final Path socket;
    private final CommandsComponent commands;
    /** Guarded by this. */
    private CliServer server;
    /** Guarded by this. */
    private boolean closed;

    @Activate
    public CliFrontend(BundleContext context, @Reference Daemon daemon, @Reference CommandsComponent commands) throws IOException {
        this.context = context;
        this.socket = daemon.state().resolve("hawser.sock");
        this.commands = commands;
        context.addFrameworkListener(this);
        if (context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() == Bundle.ACTIVE) {
            serve();
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            try {
                serve();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the CLI on " + socket, e);
            }
        }
    }

    private synchronized void serve() throws IOException {
        if (server == null && !closed) {
            server = new CliServer(socket, commands.registry());
            LOG.log(System.Logger.Level.INFO, "serving the CLI on " + endpoint());
        }
    }

    @Deactivate
    synchronized void deactivate() throws IOException {
        context.removeFrameworkListener(this);
        closed = true;
        if (server != null) {
            server.close();
        }
    }

    @Override
    public synchronized PluginStatus status() {
        return server != null ? PluginStatus.OK : PluginStatus.error("waiting for the daemon to finish starting");
    }

    @Override
    public URI endpoint() {
        return URI.create("unix://" + socket);
    }
}
