package io.hawser.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * How a process ended.
 *
 * @param code      the exit code as a shell reports it: the process's own code, or 128 plus the
 *                  signal number when a signal killed it; {@link #UNKNOWN_CODE} when the shim
 *                  could not learn it
 * @param exitedAt  when it ended
 * @param signal    the signal that killed it, or 0 when it exited by itself or this is not known
 * @param oomKilled whether the kernel's out-of-memory killer ended it
 */
public record ExitStatus(int code, Instant exitedAt, int signal, boolean oomKilled) {

    /** The code reported when the exit status is lost, for example because the shim died with the container. */
    public static final int UNKNOWN_CODE = 255;

    public ExitStatus {
        Objects.requireNonNull(exitedAt, "exitedAt");
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("exit code must be 0..255, got " + code);
        }
        if (signal < 0 || signal > 64) {
            throw new IllegalArgumentException("signal must be 0..64, got " + signal);
        }
    }

    /** A process that exited by itself with a code. */
    public static ExitStatus exited(int code, Instant exitedAt) {
        return new ExitStatus(code, exitedAt, 0, false);
    }

    /** A process killed by a signal. */
    public static ExitStatus killed(int signal, Instant exitedAt, boolean oomKilled) {
        return new ExitStatus(128 + signal, exitedAt, signal, oomKilled);
    }

    /** Whether the process succeeded. */
    public boolean success() {
        return code == 0;
    }
}
