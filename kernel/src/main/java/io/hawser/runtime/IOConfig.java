package io.hawser.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a process's standard streams go. The shim holds them, not the daemon, so output is kept
 * and input stays open while the daemon restarts. A runtime that cannot serve a variant refuses it
 * with an {@link io.hawser.errors.HawserException} of code {@code UNIMPLEMENTED}.
 */
public sealed interface IOConfig {

    /**
     * Whether the process gets a pseudo-terminal. With one there is a single output stream (the
     * terminal merges stdout and stderr) and the window size can be changed.
     */
    boolean terminal();

    /** No streams: input is empty and output is discarded, as for a pod's pause container. */
    record Discard() implements IOConfig {
        @Override
        public boolean terminal() {
            return false;
        }
    }

    /**
     * Streams connected to files or named pipes the caller made; the shim opens them. A
     * {@code null} path leaves that stream unconnected.
     *
     * @param stdin    where input is read from
     * @param stdout   where output is written
     * @param stderr   where errors are written; must be {@code null} with a terminal
     * @param terminal whether the process gets a pseudo-terminal
     */
    record Pipes(Path stdin, Path stdout, Path stderr, boolean terminal) implements IOConfig {
        public Pipes {
            if (terminal && stderr != null) {
                throw new IllegalArgumentException("a terminal has no separate stderr: " + stderr);
            }
        }
    }

    /**
     * Output written by the shim to a log file in the CRI format (time, stream, tag, line), which
     * kubelet reads for {@code kubectl logs}; input and live output go through the shim's attach
     * socket.
     *
     * @param path      the log file
     * @param stdin     whether the process gets an input stream, fed through the attach socket
     * @param stdinOnce whether input is closed when the first attached client detaches
     * @param terminal  whether the process gets a pseudo-terminal
     */
    record Log(Path path, boolean stdin, boolean stdinOnce, boolean terminal) implements IOConfig {
        public Log {
            Objects.requireNonNull(path, "path");
            if (stdinOnce && !stdin) {
                throw new IllegalArgumentException("stdinOnce needs stdin");
            }
        }
    }
}
