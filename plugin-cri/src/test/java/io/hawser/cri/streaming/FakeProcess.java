package io.hawser.cri.streaming;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.TaskState;

/**
 * A process in memory: output is whatever the test emits; with {@code echo} every input comes
 * back on stdout and the end of input exits with 0. One attachment at a time.
 */
final class FakeProcess implements Process {

    /** Marks the end of output in the queue. */
    private static final Attachment.Chunk END = new Attachment.Chunk(Attachment.Stream.STDOUT, new byte[0]);

    private final boolean echo;
    private final LinkedBlockingQueue<Attachment.Chunk> output = new LinkedBlockingQueue<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final ByteArrayOutputStream input = new ByteArrayOutputStream();
    final List<List<Integer>> resizes = new CopyOnWriteArrayList<>();
    final List<Integer> signals = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
    /** Completes when a client detaches. */
    final CompletableFuture<Void> detached = new CompletableFuture<>();
    /** Whether an ended process still lets a client attach to read what is queued, as a shim holding its output does. */
    volatile boolean attachableAfterExit = true;

    FakeProcess(boolean echo) {
        this.echo = echo;
    }

    FakeProcess emit(Attachment.Stream stream, String text) {
        output.add(new Attachment.Chunk(stream, text.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    FakeProcess exit(int code) {
        output.add(END);
        exit.complete(ExitStatus.exited(code, Instant.now()));
        return this;
    }

    synchronized String input() {
        return input.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public long pid() {
        return 1;
    }

    @Override
    public TaskState state() {
        return exit.isDone() ? new TaskState(TaskState.Status.STOPPED, 1, exit.join()) : new TaskState(TaskState.Status.RUNNING, 1, null);
    }

    @Override
    public void kill(int signal) {
        signals.add(signal);
        exit(128 + signal);
    }

    @Override
    public CompletionStage<ExitStatus> waitFor() {
        return exit;
    }

    @Override
    public void resizePty(int columns, int rows) {
        resizes.add(List.of(columns, rows));
    }

    @Override
    public Attachment attach() throws IOException {
        if (exit.isDone() && !attachableAfterExit) {
            throw HawserException.failedPrecondition("process has ended");
        }
        return new Attachment() {
            private volatile boolean closed;

            @Override
            public Chunk read() throws IOException {
                try {
                    // polls, so that closing this attachment ends a read without touching the others' queue
                    while (!closed) {
                        Chunk chunk = output.poll(20, TimeUnit.MILLISECONDS);
                        if (chunk == END) {
                            output.add(END);
                            return null;
                        }
                        if (chunk != null) {
                            return chunk;
                        }
                    }
                    return null;
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }

            @Override
            public void write(byte[] data, int offset, int length) {
                synchronized (FakeProcess.this) {
                    input.write(data, offset, length);
                }
                if (echo) {
                    output.add(new Chunk(Stream.STDOUT, java.util.Arrays.copyOfRange(data, offset, offset + length)));
                }
            }

            @Override
            public void closeStdin() {
                inputClosed.complete(null);
                if (echo) {
                    exit(0);
                }
            }

            @Override
            public void close() {
                closed = true;
                detached.complete(null);
            }
        };
    }

    @Override
    public void closeIO() {
        inputClosed.complete(null);
    }

    @Override
    public ExitStatus delete() {
        return exit.join();
    }
}
