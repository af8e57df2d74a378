package io.hawser.runtime.runc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;


/**
 * Runs a program to completion with a time limit, as {@link io.hawser.host.HostCommand#run} does and with its
 * messages, but started with {@code posix_spawn(3)} ({@link PosixSpawn}) rather than a
 * {@link ProcessBuilder}: the JDK starts every child through its {@code jspawnhelper}, one more
 * exec of about a millisecond before the program's own, and the OCI runtime's subcommands, two of
 * them on the way of every {@code run --rm}, are the JVM's most frequent children.
 *
 * <p>The child has {@code /dev/null} as stdin, a pipe each as stdout and stderr and no other
 * descriptor, and the JVM's environment and working directory. Both pipes are drained by one
 * platform thread polling them together, so a chatty program never blocks on a full pipe; the
 * caller, often a virtual thread, parks until they reach end of file and then reaps the child.
 * The reading thread gives up at the same deadline, so a descendant that keeps a pipe open
 * cannot keep it, or the descriptors, for good.
 */
final class SpawnedCommand {

    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int BUFFER_SIZE = 64 * 1024;

    /** What the command wrote to stdout and to stderr. */
    private record Output(String stdout, String stderr) {}

    private SpawnedCommand() {}

    /**
     * Runs a command with no input.
     *
     * @param command the program's path (not searched for on {@code PATH}), then its arguments
     * @return what the command wrote to stdout
     * @throws IOException when it cannot start, exits with a status other than 0, or runs longer
     *                     than {@code timeout} (it is killed then); an {@link InterruptedIOException}
     *                     when the calling thread is interrupted (the command is killed too)
     */
    static String run(Duration timeout, List<String> command) throws IOException {
        String shown = "`" + String.join(" ", command) + "`";
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] stdout = PosixSpawn.pipe();
        int[] stderr;
        try {
            stderr = PosixSpawn.pipe();
        } catch (IOException e) {
            closeBoth(stdout);
            throw e;
        }
        int pid;
        try (PosixSpawn spawn = new PosixSpawn(command.getFirst())) {
            pid = spawn.open(0, Path.of("/dev/null"), LibC.O_RDONLY, 0)
                    .dup2(stdout[1], STDOUT)
                    .dup2(stderr[1], STDERR)
                    .closeFrom(STDERR + 1)
                    .start(command, System.getenv());
        } catch (IOException | RuntimeException e) {
            LibC.INSTANCE.close(stdout[0]);
            LibC.INSTANCE.close(stderr[0]);
            throw new IOException("cannot start " + shown + ": " + e.getMessage(), e);
        } finally {
            // the child has its own copies; with the parent's open too the pipes would never reach end of file
            LibC.INSTANCE.close(stdout[1]);
            LibC.INSTANCE.close(stderr[1]);
        }
        CompletableFuture<Output> output = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("hawser-command-" + pid)
                .start(() -> drain(stdout[0], stderr[0], deadline, output));
        Output written;
        try {
            written = output.get();
        } catch (InterruptedException e) {
            PosixSpawn.killAndReap(pid);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + shown);
        } catch (ExecutionException e) {
            PosixSpawn.killAndReap(pid);
            if (e.getCause() instanceof TimeoutException) {
                throw new IOException(shown + " did not finish within " + timeout.toSeconds() + " s and was killed");
            }
            throw new IOException("cannot read the output of " + shown + ": " + e.getCause().getMessage(), e.getCause());
        }
        // with its output at end of file it has exited, or nearly: the wait holds a carrier that long
        int status = PosixSpawn.awaitExit(pid, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (status < 0) {
            // it closed its output but runs on
            PosixSpawn.killAndReap(pid);
            throw new IOException(shown + " did not finish within " + timeout.toSeconds() + " s and was killed");
        }
        if (status != 0) {
            throw new IOException(shown + " exited with status " + status + ": " + written.stderr().strip());
        }
        return written.stdout();
    }

    /**
     * Reads both pipes until both reach end of file, on a platform thread that owns their read
     * ends and closes them once it is done, so they are never closed under a read.
     */
    private static void drain(int stdout, int stderr, long deadline, CompletableFuture<Output> output) {
        try {
            ByteArrayOutputStream[] written = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
            // struct pollfd pairs; a pipe at end of file gets descriptor -1, which poll skips
            int[] pollfds = {stdout, LibC.POLLIN, stderr, LibC.POLLIN};
            byte[] buffer = new byte[BUFFER_SIZE];
            while (pollfds[0] >= 0 || pollfds[2] >= 0) {
                PosixSpawn.awaitReadable(pollfds, deadline);
                for (int i = 0; i < written.length; i++) {
                    int fd = pollfds[2 * i];
                    // revents, the high half
                    if (fd >= 0 && pollfds[2 * i + 1] >>> 16 != 0) {
                        int count = PosixSpawn.read(fd, buffer);
                        if (count == 0) {
                            pollfds[2 * i] = -1;
                        }
                        written[i].write(buffer, 0, count);
                    }
                    pollfds[2 * i + 1] = LibC.POLLIN;
                }
            }
            output.complete(new Output(written[0].toString(StandardCharsets.UTF_8), written[1].toString(StandardCharsets.UTF_8)));
        } catch (Throwable e) {
            // whatever ends the reader must end the wait on it
            output.completeExceptionally(e);
        } finally {
            LibC.INSTANCE.close(stdout);
            LibC.INSTANCE.close(stderr);
        }
    }

    private static void closeBoth(int[] pipe) {
        LibC.INSTANCE.close(pipe[0]);
        LibC.INSTANCE.close(pipe[1]);
    }
}
