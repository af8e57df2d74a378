package io.hawser.runtime.runc;

import java.nio.file.Path;
import java.util.Objects;

import io.hawser.runtime.Ids;

/**
 * What {@link ConmonLauncher#launch} needs for one process: a container's init process, or with
 * a process spec a process exec'd into a running container.
 *
 * @param id          the container id
 * @param bundle      for an init process the OCI bundle ({@code config.json} and the rootfs); for
 *                    an exec, its own directory. conmon creates its {@code attach} socket and
 *                    {@code ctl} and {@code winsz} fifos here
 * @param stateDir    the process's own state directory, created if missing
 * @param streams     where the process's standard streams go
 * @param processSpec for an exec, the file holding its OCI process spec; {@code null} for an init process
 */
public record ConmonLaunch(String id, Path bundle, Path stateDir, Streams streams, Path processSpec) {

    /**
     * The process's standard streams as conmon holds them.
     *
     * @param logPath   the log file, written in the CRI log format; {@code null} to keep no output
     * @param terminal  whether the process gets a pseudo-terminal; must agree with the spec's
     *                  {@code process.terminal}
     * @param stdin     whether the process gets an input stream, fed through the attach socket
     * @param stdinOnce whether conmon closes that stream when the first attached client detaches
     */
    public record Streams(Path logPath, boolean terminal, boolean stdin, boolean stdinOnce) {
        public Streams {
            if (stdinOnce && !stdin) {
                throw new IllegalArgumentException("stdinOnce needs stdin");
            }
            if (logPath == null && stdin) {
                throw new IllegalArgumentException("a process whose output is discarded has no input either");
            }
        }
    }

    public ConmonLaunch {
        Ids.check(id, "container id");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(streams, "streams");
    }

    /** Whether this launches an exec'd process rather than a container's init process. */
    public boolean exec() {
        return processSpec != null;
    }
}
