package io.hawser.shim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Ids;

/**
 * What a launcher records about a shim in its state directory, and reads back to reconnect after
 * a daemon restart. The file format is the launcher's business; these are the facts.
 *
 * @param id           the task id
 * @param execId       the exec id for a shim of an exec'd process; the empty string for the
 *                     task's init process
 * @param shimPid      the pid of the shim process
 * @param containerPid the host pid of the supervised process (for a VM, the VM process itself),
 *                     or 0 while it is not created yet
 * @param stateDir     the shim's state directory
 * @param exitFile     where the shim records the exit status ({@link ExitFile})
 * @param logPath      the CRI log file the shim writes output to, or {@code null} when output goes
 *                     elsewhere
 * @param attachSocket the unix socket clients attach to for live streams and input, or
 *                     {@code null} when the shim offers none
 */
public record ShimState(String id, String execId, long shimPid, long containerPid, Path stateDir, Path exitFile,
        Path logPath, Path attachSocket) {

    public ShimState {
        Ids.check(id, "task id");
        execId = execId == null ? "" : execId;
        if (!execId.isEmpty()) {
            Ids.check(execId, "exec id");
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(exitFile, "exitFile");
        if (shimPid <= 0) {
            throw new IllegalArgumentException("shim pid must be positive, got " + shimPid);
        }
        if (containerPid < 0) {
            throw new IllegalArgumentException("container pid must not be negative, got " + containerPid);
        }
    }

    /** Reads the exit status the shim recorded, empty while the process has not ended. */
    public Optional<ExitStatus> readExitStatus() throws IOException {
        return ExitFile.read(exitFile);
    }
}
