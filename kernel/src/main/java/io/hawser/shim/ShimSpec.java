package io.hawser.shim;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Ids;

/**
 * What to supervise.
 *
 * @param id          the task id
 * @param execId      the exec id when the shim runs a process inside an existing task; the empty
 *                    string for the task's init process
 * @param bundle      the task's OCI bundle directory
 * @param stateDir    the directory the shim keeps its state, sockets and exit file in; it must be
 *                    on a filesystem that lives as long as the container ({@code /run/hawser/…})
 * @param program     the program the shim drives: the OCI runtime binary for conmon
 *                    ({@code /usr/bin/runc}), the emulator for a VM ({@code qemu-system-x86_64})
 * @param programArgs arguments for the program placed before the shim's own, for example a runtime's
 *                    global {@code --root} or a VM's machine options
 * @param io          where the supervised process's streams go
 * @param processSpec for an exec, the file with the OCI process specification; else {@code null}
 * @param options     shim-specific settings (log size limit, systemd cgroup); unknown keys are
 *                    ignored
 */
public record ShimSpec(String id, String execId, Path bundle, Path stateDir, Path program, List<String> programArgs,
        IOConfig io, Path processSpec, Map<String, String> options) {

    public ShimSpec {
        Ids.check(id, "task id");
        execId = execId == null ? "" : execId;
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(program, "program");
        programArgs = programArgs == null ? List.of() : List.copyOf(programArgs);
        Objects.requireNonNull(io, "io");
        options = options == null ? Map.of() : Map.copyOf(options);
        if (execId.isEmpty() != (processSpec == null)) {
            throw new IllegalArgumentException("an exec needs a process spec and only an exec has one (exec id '"
                    + execId + "', process spec " + processSpec + ")");
        }
        if (!execId.isEmpty()) {
            Ids.check(execId, "exec id");
        }
    }

    /** Whether the shim supervises an exec'd process rather than a task's init process. */
    public boolean exec() {
        return !execId.isEmpty();
    }
}
