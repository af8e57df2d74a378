package io.hawser.cri.streaming;

import java.util.List;
import java.util.Objects;

/**
 * What a client may do with one streaming URL: the parameters of the CRI call that handed the URL
 * out, kept by the server until the client connects.
 */
public sealed interface StreamRequest {

    /** The first path segment of this kind of request's URL. */
    default String kind() {
        return switch (this) {
            case Exec _ -> "exec";
            case Attach _ -> "attach";
            case PortForward _ -> "portforward";
        };
    }

    /**
     * Runs a command in a container. With a terminal the process's output is one stream, so
     * {@code stderr} is dropped, as kubelet does.
     */
    record Exec(String containerId, List<String> command, boolean tty, boolean stdin, boolean stdout, boolean stderr)
            implements StreamRequest {
        public Exec {
            requireId(containerId, "containerId");
            command = List.copyOf(command);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("exec needs a command");
            }
            stderr = stderr && !tty;
            requireAStream(stdin, stdout, stderr);
        }
    }

    /** Connects to the streams of a container's init process; {@code stderr} is dropped with a terminal. */
    record Attach(String containerId, boolean tty, boolean stdin, boolean stdout, boolean stderr) implements StreamRequest {
        public Attach {
            requireId(containerId, "containerId");
            stderr = stderr && !tty;
            requireAStream(stdin, stdout, stderr);
        }
    }

    /** Forwards connections to ports of a pod's network namespace; the client names the ports it uses. */
    record PortForward(String podSandboxId, List<Integer> ports) implements StreamRequest {
        public PortForward {
            requireId(podSandboxId, "podSandboxId");
            ports = List.copyOf(ports);
            for (int port : ports) {
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port must be 1..65535, got " + port);
                }
            }
        }
    }

    private static void requireId(String id, String name) {
        Objects.requireNonNull(id, name);
        if (id.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static void requireAStream(boolean stdin, boolean stdout, boolean stderr) {
        if (!stdin && !stdout && !stderr) {
            throw new IllegalArgumentException("at least one of stdin, stdout and stderr must be requested");
        }
    }
}
