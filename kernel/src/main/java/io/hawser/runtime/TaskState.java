package io.hawser.runtime;

import java.util.Objects;

/**
 * Where a task or exec'd process is in its lifecycle.
 *
 * @param status     the status
 * @param pid        the process id on the host, or 0 before it exists; for a VM runtime, the pid
 *                   of the VM process, since the guest's pids mean nothing on the host
 * @param exitStatus how it ended when {@link Status#STOPPED}; {@code null} otherwise
 */
public record TaskState(Status status, long pid, ExitStatus exitStatus) {

    /** The statuses of a task. */
    public enum Status {
        /** Created by the runtime, its process waiting to be started. */
        CREATED,
        /** Its process runs. */
        RUNNING,
        /** Being frozen. */
        PAUSING,
        /** Frozen. */
        PAUSED,
        /** Its process has ended. */
        STOPPED,
        /** The runtime cannot tell, for example because its shim is gone. */
        UNKNOWN
    }

    public TaskState {
        Objects.requireNonNull(status, "status");
        if (pid < 0) {
            throw new IllegalArgumentException("pid must not be negative: " + pid);
        }
        if ((status == Status.STOPPED) != (exitStatus != null)) {
            throw new IllegalArgumentException("a stopped task has an exit status and no other has one, got "
                    + status + " with " + exitStatus);
        }
    }
}
