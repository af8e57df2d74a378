package io.hawser.cri.streaming;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.hawser.errors.HawserException;
import io.hawser.runtime.Process;

/** Containers by id, each with the process an attach reaches and what an exec starts. */
final class FakeBackend implements StreamingBackend {

    record ExecCall(String containerId, List<String> command, boolean tty, boolean stdin) {}

    final Map<String, FakeProcess> running = new ConcurrentHashMap<>();
    final Map<String, Optional<Path>> pods = new ConcurrentHashMap<>();
    final List<ExecCall> execs = new ArrayList<>();
    /** What an exec starts, from its command. */
    volatile Function<List<String>, FakeProcess> programs = command -> new FakeProcess(true);
    volatile FakeProcess lastExec;

    @Override
    public synchronized Process exec(String containerId, List<String> command, boolean tty, boolean stdin) throws IOException {
        if (!running.containsKey(containerId)) {
            throw HawserException.notFound("container " + containerId);
        }
        execs.add(new ExecCall(containerId, command, tty, stdin));
        lastExec = programs.apply(command);
        return lastExec;
    }

    @Override
    public Process attachTarget(String containerId) throws IOException {
        FakeProcess process = running.get(containerId);
        if (process == null) {
            throw HawserException.notFound("container " + containerId);
        }
        return process;
    }

    @Override
    public Optional<Path> networkNamespace(String podSandboxId) throws IOException {
        Optional<Path> namespace = pods.get(podSandboxId);
        if (namespace == null) {
            throw HawserException.notFound("pod sandbox " + podSandboxId);
        }
        return namespace;
    }
}
