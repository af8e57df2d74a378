package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.hawser.runtime.ExitStatus;

/**
 * A container whose init process conmon supervises, as {@link ConmonLauncher#launch} leaves it:
 * created, its process waiting in {@code runc init} until {@link ConmonLauncher#start}.
 *
 * @param id           the container id, the same for conmon and the runtime
 * @param stateDir     conmon's persist directory for this container: pid files, {@code exit},
 *                     {@code oom}, conmon's own error output
 * @param containerPid the init process's pid on the host
 * @param conmonPid    the pid of the conmon process that supervises it
 */
public record ConmonContainer(String id, Path stateDir, long containerPid, long conmonPid) {

    /** The file conmon writes the exit code to once the init process has ended. */
    public Path exitFile() {
        return stateDir.resolve(ConmonLauncher.EXIT_FILE);
    }

    /**
     * Waits until conmon has recorded how the init process ended.
     *
     * @throws IOException when it has not within the timeout, or the exit file cannot be read
     */
    public ExitStatus awaitExit(Duration timeout) throws IOException, InterruptedException {
        return ExitFileWatch.await(exitFile(), timeout);
    }
}
