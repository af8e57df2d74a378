package io.hawser.containers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which namespaces a container gets of its own, shares with the host or joins. A CRI pod's
 * containers join the namespaces the pod pinned to files; a container with host networking shares
 * the host's. Mount namespaces are always the container's own.
 *
 * @param network the network namespace
 * @param ipc     the IPC namespace
 * @param uts     the UTS namespace (host and domain name)
 * @param pid     the PID namespace
 */
public record Namespaces(Mode network, Mode ipc, Mode uts, Mode pid) {

    /** Every namespace the container's own, as {@code docker run} does. */
    public static final Namespaces PRIVATE = new Namespaces(Mode.PRIVATE, Mode.PRIVATE, Mode.PRIVATE, Mode.PRIVATE);

    public Namespaces {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(ipc, "ipc");
        Objects.requireNonNull(uts, "uts");
        Objects.requireNonNull(pid, "pid");
    }

    /**
     * One namespace's mode.
     *
     * @param kind what the container does about the namespace
     * @param path the namespace file to join (an nsfs bind mount or {@code /proc/PID/ns/TYPE}) when
     *             {@link Kind#JOIN}, {@code null} otherwise
     */
    public record Mode(Kind kind, Path path) {

        /** A namespace of its own. */
        public static final Mode PRIVATE = new Mode(Kind.PRIVATE, null);
        /** The host's (the daemon's) namespace. */
        public static final Mode HOST = new Mode(Kind.HOST, null);

        /** What a container does about a namespace. */
        public enum Kind { PRIVATE, HOST, JOIN }

        public Mode {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.JOIN) != (path != null)) {
                throw new IllegalArgumentException("a namespace is joined through a path, and only then has one");
            }
        }

        /** Joins the namespace a file stands for. */
        public static Mode join(Path path) {
            return new Mode(Kind.JOIN, Objects.requireNonNull(path, "path"));
        }
    }
}
