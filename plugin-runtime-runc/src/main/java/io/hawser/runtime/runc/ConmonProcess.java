package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.shim.ExitFile;

/**
 * What a task's init process and an exec'd process have in common: both are supervised by a
 * conmon whose state directory holds the exit file, and whose attach socket and control fifo are
 * in the directory it was given as bundle.
 */
abstract sealed class ConmonProcess implements Process permits RuncTask, ExecProcess {

    protected final RuncRuntime runtime;
    protected final Path stateDir;
    protected final ShimRecord record;
    /** Guarded by this. */
    private CompletableFuture<ExitStatus> exit;

    ConmonProcess(RuncRuntime runtime, Path stateDir, ShimRecord record) {
        this.runtime = runtime;
        this.stateDir = stateDir;
        this.record = record;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Where conmon put its attach socket and control fifos. */
    Path conmonDir() {
        return Path.of(record.bundle());
    }

    @Override
    public long pid() {
        return record.containerPid();
    }

    /**
     * How the process ended, empty while it runs. A conmon that died without writing an exit
     * file took the status with it: {@link ExitStatus#UNKNOWN_CODE}.
     */
    Optional<ExitStatus> exitStatus() throws IOException {
        Optional<ExitStatus> status = ExitFile.read(stateDir.resolve(ConmonLauncher.EXIT_FILE));
        if (status.isPresent() || record.conmonAlive()) {
            return status;
        }
        // conmon may have written the file just before exiting
        status = ExitFile.read(stateDir.resolve(ConmonLauncher.EXIT_FILE));
        return status.isPresent() ? status : Optional.of(ExitStatus.exited(ExitStatus.UNKNOWN_CODE, Instant.now()));
    }

    @Override
    public synchronized CompletionStage<ExitStatus> waitFor() {
        if (exit == null) {
            exit = runtime.watcher().await(stateDir, () -> ExitFile.read(stateDir.resolve(ConmonLauncher.EXIT_FILE)));
            // a conmon killed before it wrote the file wakes no watch; its end does
            ProcessHandle.of(record.conmonPid()).map(ProcessHandle::onExit)
                    .orElse(CompletableFuture.completedFuture(null))
                    .thenRun(this::completeFromExitFile);
        }
        return exit.copy();
    }

    private void completeFromExitFile() {
        CompletableFuture<ExitStatus> pending;
        synchronized (this) {
            pending = exit;
        }
        try {
            exitStatus().ifPresent(pending::complete);
        } catch (IOException e) {
            pending.completeExceptionally(e);
        }
    }

    @Override
    public void resizePty(int columns, int rows) throws IOException {
        if (!record.terminal()) {
            throw HawserException.failedPrecondition(describe() + " has no terminal");
        }
        ConmonControl.resize(conmonDir(), columns, rows);
    }

    @Override
    public Attachment attach() throws IOException {
        requireLiveStreams("attach to");
        return AttachSocket.connect(conmonDir(), record.stdin());
    }

    /**
     * Closes stdin the one way conmon offers: it closes a process's input when an attached client
     * detaches, unless it was started with {@code --leave-stdin-open} (a process whose input is
     * not {@code stdinOnce}), which then has no way to close it. A terminal's input cannot be
     * closed at all.
     */
    @Override
    public void closeIO() throws IOException {
        if (!record.stdin() || exitStatus().isPresent()) {
            return;
        }
        if (record.terminal()) {
            // conmon would close its copy of the terminal, which the process never sees
            throw HawserException.unimplemented("cannot close the input of " + describe()
                    + ": it reads a terminal, whose input ends only with its end-of-file character (Ctrl-D)");
        }
        if (!record.stdinOnce()) {
            throw HawserException.unimplemented("conmon cannot close the input of " + describe()
                    + ", created with stdin kept open across attachments; create it with stdinOnce to close input");
        }
        try (AttachSocket socket = AttachSocket.connect(conmonDir(), true)) {
            socket.closeStdin();
        }
    }

    protected void requireLiveStreams(String action) throws IOException {
        if (record.logPath() == null) {
            throw HawserException.failedPrecondition("cannot " + action + " " + describe() + ": its output is discarded");
        }
        if (exitStatus().isPresent()) {
            throw HawserException.failedPrecondition("cannot " + action + " " + describe() + ": it has exited");
        }
    }

    /** Waits for conmon to exit and removes the state directory; the process must have ended. */
    protected ExitStatus release() throws IOException {
        ExitStatus status = exitStatus().orElseThrow(
                () -> HawserException.failedPrecondition(describe() + " is still running: stop it first"));
        try {
            runtime.launcher().awaitExit(record.conmonPid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for conmon of " + describe());
        }
        return status;
    }

    /** {@code task ID} or {@code exec ID in task ID}, for messages. */
    abstract String describe();
}
