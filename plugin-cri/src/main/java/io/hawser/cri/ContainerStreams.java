package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.hawser.cri.streaming.StreamingBackend;
import io.hawser.errors.HawserException;
import io.hawser.runtime.Process;

/** What the streaming server reaches in containers and pods: exec'd commands, init processes, pod networks. */
final class ContainerStreams implements StreamingBackend {

    private final PodContainers containers;
    private final PodSandboxes pods;

    ContainerStreams(PodContainers containers, PodSandboxes pods) {
        this.containers = containers;
        this.pods = pods;
    }

    @Override
    public Process exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException {
        return containers.execAttached(containerId, command, tty, stdin);
    }

    @Override
    public Process attachTarget(String containerId) throws IOException {
        return containers.running(containers.container(containerId));
    }

    @Override
    public Optional<Path> networkNamespace(String podSandboxId) throws IOException {
        PodSandboxes.Member pod = pods.member(podSandboxId)
                .orElseThrow(() -> HawserException.notFound("pod sandbox " + podSandboxId));
        return pod.pod().hostNetwork() ? Optional.empty() : Optional.of(pod.namespace(PodNamespaces.NET));
    }
}
