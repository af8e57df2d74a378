package io.hawser.runtime.runc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Optional;

import com.sun.jna.LastErrorException;
import io.hawser.host.FileTrees;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.TaskState;
import io.hawser.runtime.TaskState.Status;

/** A process exec'd into a task, supervised by its own conmon. */
final class ExecProcess extends ConmonProcess {

    /**
     * The connection made before the process ran, handed to the first {@link #attach()} so it sees
     * all output; empty for a handle found again later. Guarded by this.
     */
    private Optional<BufferedAttachment> early;

    ExecProcess(RuncRuntime runtime, Path stateDir, ShimRecord record, Optional<BufferedAttachment> early) {
        super(runtime, stateDir, record);
        this.early = early;
    }

    @Override
    public String id() {
        return record.execId();
    }

    @Override
    String describe() {
        return "exec " + record.execId() + " in task " + record.id();
    }

    @Override
    public TaskState state() throws IOException {
        return exitStatus().map(status -> new TaskState(Status.STOPPED, pid(), status))
                .orElse(new TaskState(Status.RUNNING, pid(), null));
    }

    /** Signals the process directly: the runtime's kill reaches only a container's init process. */
    @Override
    public void kill(int signal) throws IOException {
        if (exitStatus().isPresent()) {
            return;
        }
        try {
            LibC.INSTANCE.kill((int) pid(), signal);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.ESRCH) {
                throw new IOException("signal " + signal + " to " + describe() + " failed: " + LibC.INSTANCE.strerror(e.getErrorCode()), e);
            }
        }
    }

    @Override
    public Attachment attach() throws IOException {
        synchronized (this) {
            if (early.isPresent()) {
                Attachment first = early.get();
                early = Optional.empty();
                return first;
            }
        }
        return super.attach();
    }

    /** Waits until conmon has recorded the exit, for a process known to be ending. */
    void awaitExit() throws IOException {
        try {
            waitFor().toCompletableFuture().get(runtime.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the exit of " + describe());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("waiting for the exit of " + describe() + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(describe() + " did not end within " + runtime.timeout(), e);
        }
    }

    @Override
    public ExitStatus delete() throws IOException {
        ExitStatus status = release();
        synchronized (this) {
            early.ifPresent(BufferedAttachment::close);
            early = Optional.empty();
        }
        FileTrees.delete(stateDir);
        return status;
    }
}
