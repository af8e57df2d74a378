package io.hawser.commands.internal.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/**
 * A task that runs a program the test gives: on start, the program runs on a thread of its own and
 * talks through {@link #emit}, {@link #input} and {@link #exit}, as a process behind a shim would.
 */
class FakeTask implements Task {

    final String id;
    final List<String> calls = new ArrayList<>();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final ByteArrayOutputStream input = new ByteArrayOutputStream();
    final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    final List<FakeAttachment> attachments = new ArrayList<>();
    volatile TaskState.Status status = TaskState.Status.CREATED;
    /** What the task does when started, or when a signal arrives. */
    Consumer<FakeTask> program = task -> {};
    Consumer<Integer> onSignal = signal -> {};
    /** What exec does with a request; by default refuses. */
    ExecHandler execHandler = request -> {
        throw HawserException.unimplemented("exec");
    };
    Stats stats = new Stats(Instant.EPOCH, 0, 0, 0, -1, 0);
    IOException startFailure;

    interface ExecHandler {
        Process exec(ExecRequest request) throws IOException;
    }

    FakeTask(String id) {
        this.id = id;
    }

    synchronized void record(String call) {
        calls.add(call);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** Output from the process, to every attachment. */
    void emit(Attachment.Stream stream, String text) {
        synchronized (attachments) {
            for (FakeAttachment attachment : attachments) {
                attachment.chunks.add(new Attachment.Chunk(stream, text.getBytes()));
            }
        }
    }

    /** The process ends: its output with it. */
    void exit(int code) {
        status = TaskState.Status.STOPPED;
        synchronized (attachments) {
            attachments.forEach(FakeAttachment::end);
        }
        exit.complete(ExitStatus.exited(code, Instant.now()));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public long pid() {
        return status == TaskState.Status.CREATED ? 0 : 4242;
    }

    @Override
    public TaskState state() {
        TaskState.Status s = status;
        return new TaskState(s, s == TaskState.Status.CREATED ? 0 : 4242, s == TaskState.Status.STOPPED ? exit.join() : null);
    }

    @Override
    public void start() throws IOException {
        record("start");
        if (startFailure != null) {
            throw startFailure;
        }
        status = TaskState.Status.RUNNING;
        Thread.ofVirtual().start(() -> program.accept(this));
    }

    @Override
    public void kill(int signal, boolean all) {
        record("kill " + signal + (all ? " all" : ""));
        onSignal.accept(signal);
    }

    @Override
    public Process exec(ExecRequest request) throws IOException {
        record("exec " + request.execId());
        return execHandler.exec(request);
    }

    @Override
    public Optional<Process> process(String execId) {
        return Optional.empty();
    }

    @Override
    public List<Long> pids() {
        return List.of(4242L);
    }

    @Override
    public void pause() {
        record("pause");
        status = TaskState.Status.PAUSED;
    }

    @Override
    public void resume() {
        record("resume");
        status = TaskState.Status.RUNNING;
    }

    @Override
    public void update(Resources resources) {
        record("update");
    }

    @Override
    public void reopenLog() {
        record("reopenLog");
    }

    @Override
    public CompletionStage<Void> oom() {
        return new CompletableFuture<>();
    }

    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public CompletionStage<ExitStatus> waitFor() {
        return exit;
    }

    @Override
    public void resizePty(int columns, int rows) {
        record("resize " + columns + "x" + rows);
    }

    @Override
    public Attachment attach() {
        record("attach");
        FakeAttachment attachment = new FakeAttachment(this);
        synchronized (attachments) {
            attachments.add(attachment);
        }
        return attachment;
    }

    @Override
    public void closeIO() {
        record("closeIO");
    }

    @Override
    public ExitStatus delete() {
        record("delete");
        return exit.join();
    }

    /** An attachment whose output the task feeds and whose input goes into the task's {@link #input}. */
    static final class FakeAttachment implements Attachment {
        private static final Chunk END = new Chunk(Stream.STDOUT, new byte[0]);
        private final FakeTask task;
        final LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        private volatile boolean ended;

        FakeAttachment(FakeTask task) {
            this.task = task;
        }

        void end() {
            chunks.add(END);
        }

        @Override
        public Chunk read() throws IOException {
            if (ended) {
                return null;
            }
            try {
                Chunk chunk = chunks.take();
                if (chunk == END) {
                    ended = true;
                    return null;
                }
                return chunk;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            synchronized (task.input) {
                task.input.write(data, offset, length);
            }
        }

        @Override
        public void closeStdin() {
            task.inputClosed.complete(null);
        }

        @Override
        public void close() {
            end();
        }
    }

    /** A path for logs under a test's directory. */
    static Path log(Path dir, String id) {
        return dir.resolve(id + ".log");
    }
}
