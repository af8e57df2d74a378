package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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

    /** /proc reports times in USER_HZ ticks, 100 a second on every architecture Linux runs on. */
    private static final long TICKS_PER_SECOND = 100;

    /** When the machine booted, in milliseconds since the epoch; read once. */
    private static volatile long bootMillis = -1;

    /**
     * A process as {@code /proc/PID/stat} shows it.
     *
     * @param running     whether it runs: it exists and is not a zombie
     * @param startMillis when it started, in milliseconds since the epoch, computed as the JDK's
     *                    {@code ProcessHandle.Info.startInstant()} computes it (records written
     *                    with that compare equal)
     */
    record Stat(boolean running, long startMillis) {}

    /** Whether the process runs: it exists and is not a zombie. */
    static boolean running(long pid) {
        return stat(pid).map(Stat::running).orElse(false);
    }

    /**
     * The process's state and start time from one read of {@code /proc/PID/stat}, rather than
     * through {@link ProcessHandle#info()}, which also reads its command line and status and looks
     * its user up in the password database, on the way of every container start.
     *
     * @return empty when there is no such process
     */
    static Optional<Stat> stat(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // /proc unreadable for another reason: only the kernel can still tell
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> new Stat(true, p.info().startInstant().map(Instant::toEpochMilli).orElse(0L)));
        }
        // "PID (COMM) STATE PPID … STARTTIME …": the command may hold spaces and parentheses, the
        // fields after the last ')' are separated by single spaces; the start time is the 22nd field
        int end = stat.lastIndexOf(')');
        String[] fields = end >= 0 ? stat.substring(end + 2).split(" ") : new String[0];
        if (fields.length < 20) {
            return Optional.of(new Stat(true, 0));
        }
        char state = fields[0].isEmpty() ? '?' : fields[0].charAt(0);
        long startTicks = Long.parseLong(fields[19]);
        return Optional.of(new Stat(state != 'Z' && state != 'X', bootMillis() + startTicks * 1000 / TICKS_PER_SECOND));
    }

    private static long bootMillis() {
        if (bootMillis < 0) {
            try {
                bootMillis = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).stream()
                        .filter(line -> line.startsWith("btime "))
                        .mapToLong(line -> Long.parseLong(line.substring("btime ".length()).strip()) * 1000)
                        .findFirst().orElse(0);
            } catch (IOException e) {
                return 0;
            }
        }
        return bootMillis;
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
