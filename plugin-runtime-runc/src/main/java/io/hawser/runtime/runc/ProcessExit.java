package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import com.sun.jna.LastErrorException;

/**
 * Whether a process that is not the JVM's child has ended, and waiting for it to end.
 *
 * <p>A conmon detaches and is re-parented to pid 1, so its end leaves a zombie until pid 1 reaps
 * it. Some hosts' pid 1 (the init of a sandboxed VM) reaps only every second or two, and the JDK's
 * {@link ProcessHandle} counts a zombie as alive (it asks {@code kill(pid, 0)}), so waiting through
 * it made every container removal wait that long. A zombie has ended: {@code /proc/PID/stat} says
 * so, and a pidfd becomes readable the moment the process exits, reaped or not.
 */
final class ProcessExit {

    private ProcessExit() {}

    /** Whether the process runs: it exists and is not a zombie. */
    static boolean running(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // /proc unreadable for another reason: only the kernel can still tell
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        // "PID (COMM) STATE …": the command may hold spaces and parentheses, the state follows the last ')'
        int end = stat.lastIndexOf(')');
        char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
        return state != 'Z' && state != 'X';
    }

    /**
     * Blocks until the process has ended, at once if it has. The wait is a {@code poll(2)} on a
     * pidfd; callers use it where the process is known to be ending (its exit file is written),
     * so the carrier thread it holds is held for milliseconds.
     *
     * @return whether it ended within the timeout
     */
    static boolean await(long pid, Duration timeout) throws IOException {
        int pidfd;
        try {
            pidfd = (int) LibC.INSTANCE.syscall(LibC.SYS_PIDFD_OPEN, pid, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ESRCH) {
                return true;
            }
            throw new IOException("pidfd_open of pid " + pid + ": " + LibC.INSTANCE.strerror(e.getErrorCode()), e);
        }
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                int[] pollfd = {pidfd, LibC.POLLIN};
                int left = (int) Math.max(0, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
                try {
                    return LibC.INSTANCE.poll(pollfd, 1, left) > 0;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw new IOException("poll on the pidfd of pid " + pid + ": "
                                + LibC.INSTANCE.strerror(e.getErrorCode()), e);
                    }
                }
            }
        } finally {
            LibC.INSTANCE.close(pidfd);
        }
    }
}
