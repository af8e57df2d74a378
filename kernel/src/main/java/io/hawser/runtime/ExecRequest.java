package io.hawser.runtime;

import java.util.Objects;

/**
 * A process to run inside a running task.
 *
 * @param execId      the id of the process, unique within the task
 * @param processSpec the process as an OCI runtime specification {@code process} object in JSON
 *                    (args, env, cwd, user, terminal, capabilities); kept as text so the API
 *                    needs no JSON library and the runtime receives exactly what the caller built
 * @param io          where its streams go; its terminal flag must agree with the spec's
 */
public record ExecRequest(String execId, String processSpec, IOConfig io) {

    public ExecRequest {
        Ids.check(execId, "exec id");
        Objects.requireNonNull(processSpec, "processSpec");
        Objects.requireNonNull(io, "io");
        if (processSpec.isBlank()) {
            throw new IllegalArgumentException("exec " + execId + " has an empty process spec");
        }
    }
}
