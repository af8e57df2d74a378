package io.hawser.runtime.runc;

import java.nio.file.Path;
import java.util.Objects;

import io.hawser.runtime.Ids;

/**
 * What {@link ConmonLauncher#launch} needs for one container.
 *
 * @param id       the container id
 * @param bundle   the OCI bundle ({@code config.json} and the rootfs); conmon also creates its
 *                 {@code attach} socket and {@code ctl} and {@code winsz} fifos here
 * @param stateDir the container's own state directory, created if missing
 * @param terminal whether the process gets a pseudo-terminal; must agree with
 *                 {@code process.terminal} in {@code config.json}
 * @param logPath  the log file, written in the CRI log format
 */
public record ConmonLaunch(String id, Path bundle, Path stateDir, boolean terminal, Path logPath) {

    public ConmonLaunch {
        Ids.check(id, "container id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(logPath, "logPath");
    }
}
