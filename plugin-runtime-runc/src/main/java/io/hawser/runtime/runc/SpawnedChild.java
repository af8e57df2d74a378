package io.hawser.runtime.runc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;


/**
 * A child process the JVM starts itself with {@code posix_spawn(3)}, for what {@link ProcessBuilder}
 * cannot give a child: descriptors past 2. The child gets {@code /dev/null} as stdin, its stdout
 * and stderr in one file, the write end of a pipe as descriptor {@value #PIPE_FD}, the files it is
 * given opened read-write as descriptors 4, 5 and on, and no other descriptor of the JVM's; like
 * every child started with {@link PosixSpawn}, it starts with no signal blocked.
 *
 * <p>The JDK's process reaper does not know the child: {@link #awaitExit} or {@link #close} reaps
 * it. The parent's end of the pipe is read on a platform thread, since {@code poll(2)} and
 * {@code read(2)} block in native code and would pin a virtual thread's carrier; that thread owns
 * the descriptor and closes it once it is done, so it is never closed under a read.
 */
final class SpawnedChild implements AutoCloseable {

    /** The child's descriptor that is the pipe's write end. */
    static final int PIPE_FD = 3;
    private static final LibC LIBC = LibC.INSTANCE;
    private static final int OUTPUT_MODE = 0644;
    private static final byte NEWLINE = '\n';

    private final int pid;
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();
    /** The exit status once reaped, in the shell's form; -1 before. */
    private int status = -1;

    private SpawnedChild(int pid) {
        this.pid = pid;
    }

    /**
     * Starts a program, without searching {@code PATH}.
     *
     * @param command     the program's path, then its arguments
     * @param environment the child's whole environment
     * @param directory   the child's working directory
     * @param output      the file for its stdout and stderr, created or truncated
     * @param readWrite   files opened read-write as descriptors 4, 5 and on, in this order
     * @param timeout     how long {@link #firstLine} waits for the line
     * @throws IOException when the program cannot be started: missing, not executable, or one of
     *                     the files cannot be opened
     */
    static SpawnedChild spawn(List<String> command, Map<String, String> environment, Path directory, Path output,
                              List<Path> readWrite, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] pipe = PosixSpawn.pipe();
        int pid;
        try {
            pid = start(command, environment, directory, output, readWrite, pipe[1]);
        } catch (IOException | RuntimeException e) {
            LIBC.close(pipe[0]);
            throw e;
        } finally {
            // the child has its own copy; with the parent's open too the pipe would never reach end of file
            LIBC.close(pipe[1]);
        }
        SpawnedChild child = new SpawnedChild(pid);
        Thread.ofPlatform().daemon().name("hawser-spawn-pipe-" + pid).start(() -> child.readFirstLine(pipe[0], deadline));
        return child;
    }

    long pid() {
        return pid;
    }

    /**
     * The first line written to the pipe, by the child or by any process it passed the descriptor
     * on to; {@code null} when every one of them closed it first. Fails with a
     * {@link TimeoutException} when the timeout given to {@link #spawn} passes first.
     */
    CompletableFuture<String> firstLine() {
        return firstLine;
    }

    /**
     * Waits for the child to exit, and reaps it. The wait blocks the calling thread in native code
     * (a virtual thread's carrier with it), so it is for a child known to be ending.
     *
     * @return its exit status as a shell gives it: the exit code, or 128 + the signal that killed it
     * @throws IOException when it still runs after the timeout
     */
    int awaitExit(Duration timeout) throws IOException {
        if (status < 0) {
            status = PosixSpawn.awaitExit(pid, timeout);
            if (status < 0) {
                throw new IOException("pid " + pid + " still runs " + timeout + " after it was to exit");
            }
        }
        return status;
    }

    /** Kills the child unless it has exited, and reaps it. */
    @Override
    public void close() {
        if (status < 0) {
            status = PosixSpawn.killAndReap(pid);
        }
    }

    private static int start(List<String> command, Map<String, String> environment, Path directory, Path output,
                             List<Path> readWrite, int pipeWriteEnd) throws IOException {
        String program = Path.of(command.getFirst()).toAbsolutePath().toString();
        try (PosixSpawn spawn = new PosixSpawn(program)) {
            // the pipe first: whatever number it has, the opens below cannot replace it
            spawn.dup2(pipeWriteEnd, PIPE_FD)
                    .open(0, Path.of("/dev/null"), LibC.O_RDONLY, 0)
                    .open(2, output, LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC, OUTPUT_MODE)
                    .dup2(2, 1);
            int fd = PIPE_FD + 1;
            for (Path file : readWrite) {
                spawn.open(fd++, file, LibC.O_RDWR, 0);
            }
            // last, so that relative paths above mean what they mean to the JVM
            return spawn.closeFrom(fd).chdir(directory).start(command, environment);
        } catch (IOException e) {
            throw new IOException("cannot start " + program + " (in " + directory + ", output to " + output + "): "
                    + e.getMessage(), e);
        }
    }

    private void readFirstLine(int fd, long deadline) {
        try {
            firstLine.complete(readLine(fd, deadline));
        } catch (Throwable e) {
            // whatever ends the reader must end the wait on it
            firstLine.completeExceptionally(e);
        } finally {
            LIBC.close(fd);
        }
    }

    private static String readLine(int fd, long deadline) throws IOException, TimeoutException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            PosixSpawn.awaitReadable(new int[] {fd, LibC.POLLIN}, deadline);
            int count = PosixSpawn.read(fd, buffer);
            if (count == 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            for (int i = 0; i < count; i++) {
                if (buffer[i] == NEWLINE) {
                    line.write(buffer, 0, i);
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
            line.write(buffer, 0, count);
        }
    }
}
