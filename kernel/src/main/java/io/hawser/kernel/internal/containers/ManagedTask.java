package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

import io.hawser.containers.Container;
import io.hawser.events.Topics;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/**
 * A container's task as the container service hands it out: the runtime's task, publishing an
 * event after each change made through it, and deleted through the service so the bundle goes and
 * the deletion is announced however the caller reaches it.
 */
final class ManagedTask implements Task {

    private final Task task;
    private final Container container;
    private final ContainerManager manager;
    private volatile long pid;
    // held while a change is made and announced, so the exit event never overtakes the start event
    private final ReentrantLock transitions = new ReentrantLock();

    /**
     * @param pid the pid when the task was found or created, 0 when unknown yet
     */
    ManagedTask(Task task, Container container, ContainerManager manager, long pid) {
        this.task = task;
        this.container = container;
        this.manager = manager;
        this.pid = pid;
    }

    Container container() {
        return container;
    }

    /** The last pid learnt, without asking the shim: for the exit event, when the process is gone. */
    long knownPid() {
        return pid;
    }

    @Override
    public String id() {
        return task.id();
    }

    @Override
    public long pid() throws IOException {
        long current = task.pid();
        if (current > 0) {
            pid = current;
        }
        return current;
    }

    /** The pid for an event: the shim's answer, or the last one known when it does not answer. */
    private long pidForEvent() {
        try {
            pid();
        } catch (IOException e) {
            // the change itself succeeded; the event carries the last pid known
        }
        return pid;
    }

    @Override
    public TaskState state() throws IOException {
        return task.state();
    }

    @Override
    public void start() throws IOException {
        transitions.lock();
        try {
            task.start();
            manager.post(Topics.TASK_START, container, pidForEvent(), null);
        } finally {
            transitions.unlock();
        }
    }

    /** Runs work once no change made through this handle is being announced. */
    void afterTransition(Runnable work) {
        transitions.lock();
        try {
            work.run();
        } finally {
            transitions.unlock();
        }
    }

    @Override
    public void kill(int signal, boolean all) throws IOException {
        task.kill(signal, all);
    }

    @Override
    public CompletionStage<ExitStatus> waitFor() {
        return task.waitFor();
    }

    @Override
    public void resizePty(int columns, int rows) throws IOException {
        task.resizePty(columns, rows);
    }

    @Override
    public Attachment attach() throws IOException {
        return task.attach();
    }

    @Override
    public void closeIO() throws IOException {
        task.closeIO();
    }

    @Override
    public ExitStatus delete() throws IOException {
        return manager.deleteTask(container.id());
    }

    /** Starts the process, announces it, and announces its exit when it comes. */
    @Override
    public Process exec(ExecRequest request) throws IOException {
        Process process = task.exec(request);
        long execPid = 0;
        try {
            execPid = process.pid();
        } catch (IOException e) {
            // it started; its events then carry no pid
        }
        manager.post(Topics.TASK_EXEC_STARTED, container, execPid, request.execId());
        long announcedPid = execPid;
        process.waitFor().thenAcceptAsync(
                status -> manager.announceExecExit(container, request.execId(), announcedPid, status), manager.announcers());
        return process;
    }

    @Override
    public Optional<Process> process(String execId) throws IOException {
        return task.process(execId);
    }

    @Override
    public List<Long> pids() throws IOException {
        return task.pids();
    }

    @Override
    public void pause() throws IOException {
        task.pause();
        manager.post(Topics.TASK_PAUSED, container, 0, null);
    }

    @Override
    public void resume() throws IOException {
        task.resume();
        manager.post(Topics.TASK_RESUMED, container, 0, null);
    }

    @Override
    public void update(Resources resources) throws IOException {
        task.update(resources);
    }

    @Override
    public void reopenLog() throws IOException {
        task.reopenLog();
    }

    @Override
    public CompletionStage<Void> oom() {
        return task.oom();
    }

    @Override
    public Stats stats() throws IOException {
        return task.stats();
    }

    @Override
    public void checkpoint(Path directory, boolean leaveRunning) throws IOException {
        task.checkpoint(directory, leaveRunning);
    }
}
