package io.hawser.runtime.runc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.hawser.runtime.Signals;

/**
 * A child process the JVM starts itself with {@code posix_spawn(3)}, for what {@link ProcessBuilder}
 * cannot give a child: descriptors past 2. The child gets {@code /dev/null} as stdin, its stdout
 * and stderr in one file, the write end of a pipe as descriptor {@value #PIPE_FD}, the files it is
 * given opened read-write as descriptors 4, 5 and on, and no other descriptor of the JVM's: most of
 * those are not close-on-exec (the JDK's own children close them after forking), and a long-lived
 * child holding one would keep, say, another child's output pipe from ever reaching its end. It
 * starts with no signal blocked, whatever the calling thread blocks (HotSpot blocks
 * {@code SIGQUIT} in every Java thread).
 *
 * <p>The JDK's process reaper does not know the child: {@link #awaitExit} or {@link #close} reaps
 * it. The parent's end of the pipe is read on a platform thread, since {@code poll(2)} and
 * {@code read(2)} block in native code and would pin a virtual thread's carrier; that thread owns
 * the descriptor and closes it once it is done, so it is never closed under a read.
 *
 * <p>Needs glibc 2.34 ({@code posix_spawn_file_actions_addclosefrom_np}).
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
        int[] pipe = new int[2];
        try {
            LIBC.pipe2(pipe, LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot create a pipe for " + command.getFirst() + ": " + LIBC.strerror(e.getErrorCode()), e);
        }
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
            if (!ProcessExit.await(pid, timeout)) {
                throw new IOException("pid " + pid + " still runs " + timeout + " after it was to exit");
            }
            reap(0);
        }
        return status;
    }

    /** Kills the child unless it has exited, and reaps it. */
    @Override
    public void close() {
        if (status < 0 && !reap(LibC.WNOHANG)) {
            LIBC.kill(pid, Signals.SIGKILL);
            reap(0);
        }
    }

    /** Whether waitpid(2) reaped the child, which without {@code WNOHANG} it always does. */
    private boolean reap(int options) {
        int[] waitStatus = new int[1];
        while (true) {
            try {
                if (LIBC.waitpid(pid, waitStatus, options) == 0) {
                    return false;
                }
                int signal = waitStatus[0] & 0x7f;
                status = signal == 0 ? (waitStatus[0] >> 8) & 0xff : 128 + signal;
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw e;
                }
            }
        }
    }

    private static int start(List<String> command, Map<String, String> environment, Path directory, Path output,
                             List<Path> readWrite, int pipeWriteEnd) throws IOException {
        String program = Path.of(command.getFirst()).toAbsolutePath().toString();
        Memory actions = new Memory(LibC.SPAWN_FILE_ACTIONS_SIZE);
        Memory attributes = new Memory(LibC.SPAWN_ATTRIBUTES_SIZE);
        Memory noSignals = new Memory(LibC.SIGSET_SIZE);
        check(LIBC.posix_spawn_file_actions_init(actions), program, "posix_spawn_file_actions_init");
        try {
            check(LIBC.posix_spawnattr_init(attributes), program, "posix_spawnattr_init");
            try {
                // the pipe first: whatever number it has, the opens below cannot replace it; dup2 leaves out close-on-exec
                check(LIBC.posix_spawn_file_actions_adddup2(actions, pipeWriteEnd, PIPE_FD), program, "adddup2");
                check(LIBC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", LibC.O_RDONLY, 0), program, "addopen");
                check(LIBC.posix_spawn_file_actions_addopen(actions, 2, output.toString(),
                        LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC, OUTPUT_MODE), program, "addopen");
                check(LIBC.posix_spawn_file_actions_adddup2(actions, 2, 1), program, "adddup2");
                int fd = PIPE_FD + 1;
                for (Path file : readWrite) {
                    check(LIBC.posix_spawn_file_actions_addopen(actions, fd++, file.toString(), LibC.O_RDWR, 0), program, "addopen");
                }
                check(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, fd), program, "addclosefrom_np");
                // last, so that relative paths above mean what they mean to the JVM
                check(LIBC.posix_spawn_file_actions_addchdir_np(actions, directory.toString()), program, "addchdir_np");
                LIBC.sigemptyset(noSignals);
                check(LIBC.posix_spawnattr_setsigmask(attributes, noSignals), program, "posix_spawnattr_setsigmask");
                check(LIBC.posix_spawnattr_setflags(attributes, LibC.POSIX_SPAWN_SETSIGMASK), program, "posix_spawnattr_setflags");
                List<String> variables = new ArrayList<>();
                environment.forEach((name, value) -> variables.add(name + "=" + value));
                int[] pid = new int[1];
                int error = LIBC.posix_spawn(pid, program, actions, attributes,
                        command.toArray(String[]::new), variables.toArray(String[]::new));
                if (error != 0) {
                    throw new IOException("cannot start " + program + " (in " + directory + ", output to " + output
                            + "): " + LIBC.strerror(error));
                }
                return pid[0];
            } finally {
                LIBC.posix_spawnattr_destroy(attributes);
            }
        } finally {
            LIBC.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void check(int error, String program, String call) throws IOException {
        if (error != 0) {
            throw new IOException("cannot start " + program + ": " + call + ": " + LIBC.strerror(error));
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
            awaitReadable(fd, deadline);
            int count = (int) read(fd, buffer);
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

    /** Waits until a read will not block: data, or end of file. */
    private static void awaitReadable(int fd, long deadline) throws IOException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            int[] pollfd = {fd, LibC.POLLIN};
            try {
                if (LIBC.poll(pollfd, 1, (int) Math.max(1, Duration.ofNanos(left).toMillis())) > 0) {
                    return;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("poll on a pipe: " + LIBC.strerror(e.getErrorCode()), e);
                }
            }
        }
    }

    private static long read(int fd, byte[] buffer) throws IOException {
        while (true) {
            try {
                return LIBC.read(fd, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("read from a pipe: " + LIBC.strerror(e.getErrorCode()), e);
                }
            }
        }
    }
}
