package io.hawser.cri.streaming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.hawser.runtime.Process;

/**
 * What the streaming server needs from the container side. Methods are called from platform
 * threads of the server, once per client connection, and may block.
 */
public interface StreamingBackend {

    /**
     * Starts {@code command} in a running container.
     *
     * @return the started process, whose streams {@link Process#attach()} reaches
     * @throws IOException naming the container when it does not exist, does not run or the command
     *                     cannot be started
     */
    Process exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException;

    /**
     * The init process of a running container, to attach to.
     *
     * @throws IOException naming the container when it does not exist or does not run
     */
    Process attachTarget(String containerId) throws IOException;

    /**
     * The pod's network namespace file (an {@code nsfs} bind mount), or empty for a pod in the
     * host's network.
     *
     * @throws IOException naming the pod when it does not exist
     */
    Optional<Path> networkNamespace(String podSandboxId) throws IOException;
}
