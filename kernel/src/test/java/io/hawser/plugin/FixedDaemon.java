package io.hawser.plugin;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A daemon whose directories a test chooses, for constructing components by hand.
 *
 * @param root   the persistent root
 * @param state  the state directory
 * @param config the configuration directory
 */
public record FixedDaemon(Path root, Path state, Path config) implements Daemon {

    @Override
    public String version() {
        return "0.0.0-test";
    }

    @Override
    public Instant started() {
        return Instant.EPOCH;
    }
}
