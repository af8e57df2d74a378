package io.hawser.kernel.internal.daemon;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

import io.hawser.plugin.Daemon;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The daemon's identity and directories, taken from the framework properties the launcher sets.
 * A framework started without them (a test container) gets paths under the framework storage.
 */
@Component
public final class DaemonComponent implements Daemon {

    /** Framework property with the daemon's version, set by the launcher. */
    static final String VERSION_PROPERTY = "hawser.version";

    /** Framework property with the epoch millisecond the launcher started at. */
    static final String STARTED_PROPERTY = "hawser.started";

    private final Path root;
    private final Path state;
    private final Path config;
    private final String version;
    private final Instant started;

    @Activate
    public DaemonComponent(BundleContext context) {
        this.root = directory(context, ROOT_PROPERTY, "root");
        this.state = directory(context, STATE_PROPERTY, "state");
        this.config = directory(context, CONFIG_PROPERTY, "etc");
        this.version = Objects.requireNonNullElse(context.getProperty(VERSION_PROPERTY), context.getBundle().getVersion().toString());
        String startedMillis = context.getProperty(STARTED_PROPERTY);
        this.started = startedMillis == null ? Instant.now() : Instant.ofEpochMilli(Long.parseLong(startedMillis));
    }

    private static Path directory(BundleContext context, String property, String fallback) {
        String value = context.getProperty(property);
        return value != null ? Path.of(value) : context.getDataFile(fallback).toPath();
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path state() {
        return state;
    }

    @Override
    public Path config() {
        return config;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Instant started() {
        return started;
    }
}
