package io.hawser.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A container's running instance: its init process, the processes exec'd into it and its
 * resources. The package documentation explains the lifecycle. As a {@link Process}, a task is
 * its init process: {@link #kill(int)}, {@link #waitFor()} and {@link #delete()} act on it, and
 * deleting the task also deletes its exec'd processes.
 */
@ProviderType
public interface Task extends Process {

    /**
     * Starts the init process of a created task.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the task is not {@link
     *                         TaskState.Status#CREATED}
     */
    void start() throws IOException;

    /**
     * Sends a signal to the init process, or to every process of the task.
     *
     * @param all whether to signal every process in the container, exec'd ones and their children
     *            included, not only the init process
     */
    void kill(int signal, boolean all) throws IOException;

    @Override
    default void kill(int signal) throws IOException {
        kill(signal, false);
    }

    /**
     * Starts a process inside the running task. It starts at once: the shim records its exit
     * status, so a caller that asks for it later cannot miss a quick exit.
     *
     * @throws HawserException {@code ALREADY_EXISTS} when the exec id is in use in this task
     * @throws HawserException {@code FAILED_PRECONDITION} when the task is not running
     */
    Process exec(ExecRequest request) throws IOException;

    /** A process exec'd into this task, found again by its exec id, for example after a daemon restart. */
    Optional<Process> process(String execId) throws IOException;

    /** The host pids of every process in the task's cgroup; for a VM runtime, the VM's processes. */
    List<Long> pids() throws IOException;

    /**
     * Freezes every process of the task.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the task is not running
     * @throws HawserException {@code UNIMPLEMENTED} when the runtime cannot freeze
     */
    void pause() throws IOException;

    /**
     * Thaws a paused task.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the task is not paused
     */
    void resume() throws IOException;

    /**
     * Changes the task's resource limits while it runs; fields left {@code null} keep their value.
     *
     * @throws HawserException {@code UNIMPLEMENTED} when the runtime cannot change a limit it was
     *                         given
     */
    void update(Resources resources) throws IOException;

    /**
     * Has the shim close and reopen the init process's log file, after the file was rotated by
     * renaming it, so output goes to a fresh file at the same path (CRI's {@code ReopenContainerLog}).
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the task is not running or logs nowhere
     */
    void reopenLog() throws IOException;

    /**
     * Completes when the kernel's out-of-memory killer first kills a process of the task, whether
     * or not that ends the task; never completes if it does not happen. After a daemon restart it
     * completes at once for a task that was OOM-killed meanwhile.
     */
    CompletionStage<Void> oom();

    /** Measures the task's resource use now. */
    Stats stats() throws IOException;

    /**
     * Writes a checkpoint of the running task into a directory, so it can later be restored with
     * {@link CreateTaskRequest#checkpoint()}. No runtime offers it yet.
     *
     * @param leaveRunning whether the task keeps running after the checkpoint, or stops
     * @throws HawserException {@code UNIMPLEMENTED} when the runtime cannot checkpoint
     */
    default void checkpoint(Path directory, boolean leaveRunning) throws IOException {
        throw HawserException.unimplemented("checkpoint is not supported by this runtime");
    }
}
