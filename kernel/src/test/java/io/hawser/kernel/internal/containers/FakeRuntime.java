package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.hawser.errors.HawserException;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Task;

/** A runtime whose tasks are {@link FakeTask}s in a map, outliving any container service that uses it. */
final class FakeRuntime implements Runtime {

    final Map<String, FakeTask> tasks = new ConcurrentHashMap<>();
    final List<CreateTaskRequest> requests = new CopyOnWriteArrayList<>();
    /** Signals sent, as {@code id:signal[:all]}. */
    final List<String> signals = new CopyOnWriteArrayList<>();
    private final AtomicLong pids = new AtomicLong(1000);
    /** The failure the next {@link #create} throws instead of creating, if set. */
    volatile IOException failCreate;
    /** Whether a task's process ends as soon as it starts, before {@link FakeTask#start} returns. */
    volatile boolean exitOnStart;

    @Override
    public Task create(CreateTaskRequest request) throws IOException {
        requests.add(request);
        if (failCreate != null) {
            throw failCreate;
        }
        if (tasks.containsKey(request.id())) {
            throw HawserException.alreadyExists("task " + request.id());
        }
        FakeTask task = new FakeTask(this, request, pids.incrementAndGet());
        tasks.put(request.id(), task);
        return task;
    }

    @Override
    public List<Task> tasks() {
        return new ArrayList<>(tasks.values());
    }

    @Override
    public Optional<Task> task(String id) {
        return Optional.ofNullable(tasks.get(id));
    }
}
