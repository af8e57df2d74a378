package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerConfig;
import io.hawser.containers.ContainerService;
import io.hawser.containers.ProcessUser;
import io.hawser.errors.HawserException;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/** A container service over maps; tasks are {@link FakeTask}s made by a factory the test sets. */
class FakeContainers implements ContainerService {

    final Map<String, Container> containers = new LinkedHashMap<>();
    final Map<String, FakeTask> tasks = new LinkedHashMap<>();
    final List<ContainerConfig> created = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    final Path logs;
    /** The users {@link #resolveUser} knows, by the specification asked for. */
    final Map<String, ProcessUser> users = new LinkedHashMap<>();
    Function<Container, FakeTask> taskFactory = container -> new FakeTask(container.id());
    IOException createTaskFailure;
    private int next = 1;

    FakeContainers(Path logs) {
        this.logs = logs;
    }

    /** A container as if created earlier, with this id, name and process arguments. */
    synchronized Container add(String id, String name, String... args) {
        String spec = "{\"process\":{\"args\":[" + String.join(",", java.util.Arrays.stream(args).map(a -> "\"" + a + "\"").toList())
                + "],\"env\":[\"PATH=/bin\",\"HOME=/root\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}}}";
        Container container = new Container(id, name, "docker.io/library/busybox:latest", "runc", "overlay", id, spec,
                logs.resolve(id + ".log"), false, false, false, Signals.SIGTERM, Map.of(), Instant.now().minusSeconds(60));
        containers.put(id, container);
        return container;
    }

    /** Adds a task in this state for the container. */
    synchronized FakeTask task(Container container, TaskState.Status status) {
        FakeTask task = new FakeTask(container.id());
        task.status = status;
        if (status == TaskState.Status.STOPPED) {
            task.exit.complete(ExitStatus.exited(3, Instant.now().minusSeconds(5)));
        }
        tasks.put(container.id(), task);
        return task;
    }

    @Override
    public synchronized Container create(ContainerConfig config) throws IOException {
        created.add(config);
        String id = String.format("%064x", next++);
        if (config.name() != null && containers.values().stream().anyMatch(c -> c.name().equals(config.name()))) {
            throw HawserException.alreadyExists("container name " + config.name());
        }
        Container container = new Container(id, config.name() == null ? "c" + next : config.name(), config.image(), "runc", "overlay",
                id, "{\"process\":{\"args\":" + "[]" + "}}", logs.resolve(id + ".log"), config.stdin(), config.stdinOnce(),
                config.terminal(), Signals.SIGTERM, config.labels(), Instant.now());
        containers.put(id, container);
        return container;
    }

    @Override
    public synchronized Optional<Container> find(String idOrName) throws IOException {
        if (containers.containsKey(idOrName)) {
            return Optional.of(containers.get(idOrName));
        }
        Optional<Container> byName = containers.values().stream().filter(c -> c.name().equals(idOrName)).findFirst();
        if (byName.isPresent()) {
            return byName;
        }
        List<Container> prefixed = containers.values().stream().filter(c -> c.id().startsWith(idOrName)).toList();
        if (prefixed.size() > 1) {
            throw HawserException.invalidArgument("container id prefix " + idOrName + " is ambiguous: " + prefixed.size() + " containers");
        }
        return prefixed.stream().findFirst();
    }

    @Override
    public synchronized List<Container> list() {
        return List.copyOf(containers.values());
    }

    @Override
    public synchronized Task createTask(String containerId) throws IOException {
        if (createTaskFailure != null) {
            throw createTaskFailure;
        }
        FakeTask task = taskFactory.apply(containers.get(containerId));
        tasks.put(containerId, task);
        return task;
    }

    @Override
    public synchronized Optional<Task> task(String containerId) {
        return Optional.ofNullable(tasks.get(containerId));
    }

    @Override
    public synchronized ExitStatus deleteTask(String containerId) {
        return tasks.remove(containerId).exit.join();
    }

    @Override
    public synchronized ProcessUser resolveUser(String containerId, String user) throws IOException {
        ProcessUser known = users.get(user);
        if (known == null) {
            throw HawserException.invalidArgument("user '" + user + "' not found in the image's /etc/passwd");
        }
        return known;
    }

    @Override
    public synchronized void remove(String containerId, boolean force) throws IOException {
        FakeTask task = tasks.get(containerId);
        if (task != null && task.status == TaskState.Status.RUNNING && !force) {
            throw HawserException.failedPrecondition("container " + containerId + " is running");
        }
        tasks.remove(containerId);
        containers.remove(containerId);
        removed.add(containerId + (force ? " forced" : ""));
    }

    synchronized List<String> removed() {
        return List.copyOf(removed);
    }
}
