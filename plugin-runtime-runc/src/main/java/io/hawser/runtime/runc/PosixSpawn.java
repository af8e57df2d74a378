package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.hawser.runtime.Signals;

/**
 * One start of a program with {@code posix_spawn(3)}, as the JVM's children that {@link ProcessBuilder}
 * would start too slowly or not at all are started: the descriptors the child is to have, then the
 * start. Whatever the caller asks for, the child starts with no signal blocked, whatever the calling
 * thread blocks (HotSpot blocks {@code SIGQUIT} in every Java thread). Callers end the descriptors
 * with {@link #closeFrom}: most of the JVM's are not close-on-exec (the JDK's own children close
 * them after forking), and a child holding one would keep, say, another child's output pipe from
 * ever reaching its end.
 *
 * <p>Also the calls on what a start leaves the parent: the pipes (read on platform threads, since
 * {@code poll(2)} and {@code read(2)} block in native code and would pin a virtual thread's
 * carrier) and the child, which the JDK's process reaper does not know, so the starter reaps it.
 * Each is retried on {@code EINTR}.
 *
 * <p>Needs glibc 2.34 ({@code posix_spawn_file_actions_addclosefrom_np}).
 */
final class PosixSpawn implements AutoCloseable {

    private static final LibC LIBC = LibC.INSTANCE;

    private final String program;
    private final Memory actions = new Memory(LibC.SPAWN_FILE_ACTIONS_SIZE);
    private final Memory attributes = new Memory(LibC.SPAWN_ATTRIBUTES_SIZE);
    private boolean attributesInitialised;

    /**
     * @param program the program's path, used as given: not searched for on {@code PATH}, and
     *                relative to the working directory the child has when it is exec'd
     */
    PosixSpawn(String program) throws IOException {
        this.program = program;
        check(LIBC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            check(LIBC.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            attributesInitialised = true;
            Memory noSignals = new Memory(LibC.SIGSET_SIZE);
            LIBC.sigemptyset(noSignals);
            check(LIBC.posix_spawnattr_setsigmask(attributes, noSignals), "posix_spawnattr_setsigmask");
            check(LIBC.posix_spawnattr_setflags(attributes, LibC.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The child's descriptor {@code newFd} is the parent's {@code fd}, without close-on-exec. */
    PosixSpawn dup2(int fd, int newFd) throws IOException {
        check(LIBC.posix_spawn_file_actions_adddup2(actions, fd, newFd), "posix_spawn_file_actions_adddup2");
        return this;
    }

    /** The child's descriptor {@code fd} is {@code file}, opened as {@code open(2)} would with these flags. */
    PosixSpawn open(int fd, Path file, int flags, int mode) throws IOException {
        check(LIBC.posix_spawn_file_actions_addopen(actions, fd, file.toString(), flags, mode),
                "posix_spawn_file_actions_addopen");
        return this;
    }

    /** The child has none of the parent's descriptors from {@code lowFd} on. */
    PosixSpawn closeFrom(int lowFd) throws IOException {
        check(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, lowFd), "posix_spawn_file_actions_addclosefrom_np");
        return this;
    }

    /** The child's working directory; paths in the actions after this one are relative to it. */
    PosixSpawn chdir(Path directory) throws IOException {
        check(LIBC.posix_spawn_file_actions_addchdir_np(actions, directory.toString()), "posix_spawn_file_actions_addchdir_np");
        return this;
    }

    /**
     * Starts the program.
     *
     * @param arguments   its arguments, the first its name ({@code argv[0]})
     * @param environment its whole environment
     * @return its pid
     * @throws IOException with the reason alone (the caller knows what it was starting): the
     *                     program is missing or not executable, or an action failed in the child
     */
    int start(List<String> arguments, Map<String, String> environment) throws IOException {
        List<String> variables = new ArrayList<>(environment.size());
        environment.forEach((name, value) -> variables.add(name + "=" + value));
        int[] pid = new int[1];
        int error = LIBC.posix_spawn(pid, program, actions, attributes,
                arguments.toArray(String[]::new), variables.toArray(String[]::new));
        if (error != 0) {
            throw new IOException(LIBC.strerror(error));
        }
        return pid[0];
    }

    @Override
    public void close() {
        if (attributesInitialised) {
            LIBC.posix_spawnattr_destroy(attributes);
        }
        LIBC.posix_spawn_file_actions_destroy(actions);
    }

    private static void check(int error, String call) throws IOException {
        if (error != 0) {
            throw new IOException(call + ": " + LIBC.strerror(error));
        }
    }

    /**
     * A pipe, both ends close-on-exec: the child gets its end through {@link #dup2}, and the
     * parent closes its copy of that end once the child is started, or the pipe would never reach
     * end of file.
     *
     * @return the read end, then the write end
     */
    static int[] pipe() throws IOException {
        int[] pipe = new int[2];
        try {
            LIBC.pipe2(pipe, LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot create a pipe: " + LIBC.strerror(e.getErrorCode()), e);
        }
        return pipe;
    }

    /**
     * Waits until one of the descriptors can be read without blocking (data, or end of file).
     *
     * @param pollfds {@code struct pollfd}s as {@link LibC#poll} takes them; a negative descriptor
     *                is skipped. Their {@code revents} say which are ready.
     * @throws TimeoutException when the deadline ({@link System#nanoTime}) passes first
     */
    static void awaitReadable(int[] pollfds, long deadline) throws IOException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                if (LIBC.poll(pollfds, pollfds.length / 2, (int) Math.max(1, Duration.ofNanos(left).toMillis())) > 0) {
                    return;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("poll on a pipe: " + LIBC.strerror(e.getErrorCode()), e);
                }
            }
        }
    }

    /** Reads what is there, at most the buffer's length; 0 at end of file. */
    static int read(int fd, byte[] buffer) throws IOException {
        while (true) {
            try {
                return (int) LIBC.read(fd, buffer, buffer.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("read from a pipe: " + LIBC.strerror(e.getErrorCode()), e);
                }
            }
        }
    }

    /**
     * Waits for a child known to be ending to exit, and reaps it. The wait, a poll on a pidfd,
     * blocks the calling thread in native code (a virtual thread's carrier with it) that long.
     *
     * @return its exit status as {@link #reap} gives it; -1 when it still runs after the timeout
     */
    static int awaitExit(int pid, Duration timeout) throws IOException {
        int status = reap(pid, LibC.WNOHANG);
        if (status < 0 && ProcessExit.await(pid, timeout)) {
            status = reap(pid, 0);
        }
        return status;
    }

    /** Kills a child (one that has ended already is only reaped) and reaps it; returns its exit status. */
    static int killAndReap(int pid) {
        LIBC.kill(pid, Signals.SIGKILL);
        return reap(pid, 0);
    }

    /**
     * Reaps a child with {@code waitpid(2)}; with {@code WNOHANG} only one that has exited.
     *
     * @return its exit status as a shell gives it: the exit code, or 128 + the signal that killed
     *         it; -1 when it still runs
     */
    static int reap(int pid, int options) {
        int[] waitStatus = new int[1];
        while (true) {
            try {
                if (LIBC.waitpid(pid, waitStatus, options) == 0) {
                    return -1;
                }
                int signal = waitStatus[0] & 0x7f;
                return signal == 0 ? (waitStatus[0] >> 8) & 0xff : 128 + signal;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw e;
                }
            }
        }
    }
}
