package io.hawser.cri;

import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.TaskState;

/**
 * An exec'd process whose attachment was claimed as it started, handed to the first caller of
 * {@link #attach()}. A short command may end, and be deleted, before a streaming client attaches;
 * the attachment claimed at once still holds all its output.
 */
final class ClaimedExec implements Process {

    private final Process process;
    private final AtomicReference<Attachment> claimed;

    ClaimedExec(Process process, Attachment claimed) {
        this.process = process;
        this.claimed = new AtomicReference<>(claimed);
    }

    @Override
    public Attachment attach() throws IOException {
        Attachment first = claimed.getAndSet(null);
        return first != null ? first : process.attach();
    }

    @Override
    public String id() {
        return process.id();
    }

    @Override
    public long pid() throws IOException {
        return process.pid();
    }

    @Override
    public TaskState state() throws IOException {
        return process.state();
    }

    @Override
    public void kill(int signal) throws IOException {
        process.kill(signal);
    }

    @Override
    public CompletionStage<ExitStatus> waitFor() {
        return process.waitFor();
    }

    @Override
    public void resizePty(int columns, int rows) throws IOException {
        process.resizePty(columns, rows);
    }

    @Override
    public void closeIO() throws IOException {
        process.closeIO();
    }

    @Override
    public ExitStatus delete() throws IOException {
        return process.delete();
    }
}
