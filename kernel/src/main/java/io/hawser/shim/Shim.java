package io.hawser.shim;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.hawser.runtime.ExitStatus;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A handle on a running (or finished) shim. Obtained from {@link ShimLauncher#launch} or, after a
 * daemon restart, {@link ShimLauncher#reconnect}; either way it controls the same process, and
 * dropping the handle leaves the shim running.
 */
@ProviderType
public interface Shim {

    /** What the launcher recorded about this shim. */
    ShimState state();

    /**
     * Whether the shim process still runs. Implementations compare the process's start time with
     * the recorded one, so a recycled pid is not taken for the shim.
     */
    boolean alive();

    /** The exit status the shim recorded, empty while the supervised process runs. */
    Optional<ExitStatus> exitStatus() throws IOException;

    /**
     * Completes with the exit status once the supervised process has ended, at once if it already
     * has. If the shim itself dies without recording one, it completes with
     * {@link ExitStatus#UNKNOWN_CODE}.
     */
    CompletionStage<ExitStatus> exited();

    /** Changes the size of the supervised process's terminal. */
    void resizePty(int columns, int rows) throws IOException;

    /** Closes the supervised process's standard input. */
    void closeStdin() throws IOException;

    /**
     * Makes the shim close and reopen its log file, after the log was rotated by renaming it,
     * so it writes to a fresh file at the same path.
     */
    void reopenLog() throws IOException;

    /**
     * Stops the shim if it still runs and removes its state directory. Called once the exit status
     * has been read, when the task or exec is deleted. For a VM runtime, whose shim is the VM, this
     * ends the VM.
     */
    void shutdown() throws IOException;
}
