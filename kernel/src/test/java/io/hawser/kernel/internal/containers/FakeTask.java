package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import io.hawser.errors.HawserException;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/**
 * A task of the {@link FakeRuntime}: a state machine with the transitions of a real one, whose
 * process "exits" when a test says so or on SIGKILL. Its state lives in the runtime, so a handle
 * found again after a "restart" sees the same task, as with a real shim.
 */
final class FakeTask extends FakeProcess implements Task {

    private final FakeRuntime runtime;
    final CreateTaskRequest request;
    private volatile TaskState.Status status = TaskState.Status.CREATED;
    private volatile ExitStatus exit;
    final CompletableFuture<ExitStatus> exited = new CompletableFuture<>();
    final CompletableFuture<Void> oomKilled = new CompletableFuture<>();
    final Map<String, FakeExec> execs = new ConcurrentHashMap<>();

    FakeTask(FakeRuntime runtime, CreateTaskRequest request, long pid) {
        super(request.id(), pid);
        this.runtime = runtime;
        this.request = request;
    }

    /** The process ends with a code, as if it had exited by itself. */
    void exit(ExitStatus status) {
        exit = status;
        this.status = TaskState.Status.STOPPED;
        exited.complete(status);
    }

    void exit(int code) {
        exit(ExitStatus.exited(code, Instant.parse("2026-01-01T00:00:01.000000123Z")));
    }

    @Override
    public TaskState state() {
        return new TaskState(status, pid, exit);
    }

    @Override
    public void start() throws IOException {
        if (status != TaskState.Status.CREATED) {
            throw HawserException.failedPrecondition("task " + id() + " is " + status);
        }
        status = TaskState.Status.RUNNING;
        if (runtime.exitOnStart) {
            exit(0);
        }
    }

    @Override
    public void kill(int signal, boolean all) {
        runtime.signals.add(id() + ":" + signal + (all ? ":all" : ""));
        if (signal == Signals.SIGKILL && status != TaskState.Status.STOPPED && status != TaskState.Status.PAUSED) {
            exit(ExitStatus.killed(Signals.SIGKILL, Instant.parse("2026-01-01T00:00:02Z"), false));
        }
    }

    @Override
    public CompletionStage<ExitStatus> waitFor() {
        return exited;
    }

    @Override
    public ExitStatus delete() throws IOException {
        if (status != TaskState.Status.STOPPED && status != TaskState.Status.CREATED) {
            throw HawserException.failedPrecondition("task " + id() + " is " + status);
        }
        runtime.tasks.remove(id());
        return exit != null ? exit : new ExitStatus(ExitStatus.UNKNOWN_CODE, Instant.EPOCH, 0, false);
    }

    @Override
    public Process exec(ExecRequest request) throws IOException {
        if (status != TaskState.Status.RUNNING) {
            throw HawserException.failedPrecondition("task " + id() + " is not running");
        }
        FakeExec exec = new FakeExec(request.execId(), pid + 100 + execs.size());
        execs.put(request.execId(), exec);
        return exec;
    }

    @Override
    public Optional<Process> process(String execId) {
        return Optional.ofNullable(execs.get(execId));
    }

    @Override
    public List<Long> pids() {
        return List.of(pid);
    }

    @Override
    public void pause() throws IOException {
        if (status != TaskState.Status.RUNNING) {
            throw HawserException.failedPrecondition("task " + id() + " is not running");
        }
        status = TaskState.Status.PAUSED;
    }

    @Override
    public void resume() throws IOException {
        if (status != TaskState.Status.PAUSED) {
            throw HawserException.failedPrecondition("task " + id() + " is not paused");
        }
        status = TaskState.Status.RUNNING;
        // a SIGKILL sent while frozen takes effect on thawing
        if (runtime.signals.contains(id() + ":" + Signals.SIGKILL + ":all")) {
            exit(ExitStatus.killed(Signals.SIGKILL, Instant.parse("2026-01-01T00:00:02Z"), false));
        }
    }

    @Override
    public void update(Resources resources) {
    }

    @Override
    public void reopenLog() {
    }

    @Override
    public CompletionStage<Void> oom() {
        return oomKilled;
    }

    @Override
    public Stats stats() throws IOException {
        throw HawserException.unimplemented("the fake runtime measures nothing");
    }

    /** A process exec'd into a fake task. */
    static final class FakeExec extends FakeProcess {
        final CompletableFuture<ExitStatus> exited = new CompletableFuture<>();

        FakeExec(String id, long pid) {
            super(id, pid);
        }

        @Override
        public TaskState state() {
            return exited.isDone() ? new TaskState(TaskState.Status.STOPPED, pid, exited.join())
                    : new TaskState(TaskState.Status.RUNNING, pid, null);
        }

        @Override
        public void kill(int signal) {
        }

        @Override
        public CompletionStage<ExitStatus> waitFor() {
            return exited;
        }

        @Override
        public ExitStatus delete() {
            return exited.join();
        }
    }
}
