package io.hawser.runtime;

import java.io.IOException;
import java.util.concurrent.CompletionStage;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A process supervised by a shim: a task's init process (the {@link Task} itself) or one started
 * with {@link Task#exec}. The object is a handle; the process lives in the shim, so a handle
 * found again after a daemon restart controls the same process.
 *
 * <p>Methods block while the runtime or shim answers, usually milliseconds, and throw
 * {@link IOException}; the conditions a caller handles are the {@link HawserException} codes.
 */
@ProviderType
public interface Process {

    /** The task id for a task, the exec id for an exec'd process. */
    String id();

    /** The process id on the host; for a VM runtime, the pid of the VM process. 0 before it exists. */
    long pid() throws IOException;

    /** The current state. */
    TaskState state() throws IOException;

    /**
     * Sends a signal. Signalling a process that has already exited does nothing.
     *
     * @param signal the signal number ({@link Signals})
     * @throws HawserException {@code FAILED_PRECONDITION} when the process is not started yet
     */
    void kill(int signal) throws IOException;

    /**
     * Completes with the exit status when the process ends, at once if it has ended. It completes
     * even when the exit happened while the daemon was down, from the status the shim recorded.
     */
    CompletionStage<ExitStatus> waitFor();

    /**
     * Changes the size of the process's terminal.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the process has no terminal
     */
    void resizePty(int columns, int rows) throws IOException;

    /**
     * Connects to the process's live streams through its shim, for {@code attach}, an interactive
     * {@code run} or {@code exec}. The process must have been created with {@link IOConfig.Log}.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the process has ended or its streams
     *                         go elsewhere
     */
    Attachment attach() throws IOException;

    /** Closes the process's standard input, so a process reading it sees end of file. */
    void closeIO() throws IOException;

    /**
     * Releases what the runtime and shim hold for an ended process and returns how it ended.
     *
     * @throws HawserException {@code FAILED_PRECONDITION} when the process still runs
     */
    ExitStatus delete() throws IOException;
}
