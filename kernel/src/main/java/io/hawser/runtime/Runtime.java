package io.hawser.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates and finds tasks for one runtime handler. Runtime plugins register it with the service
 * property {@value #RUNTIME_PROPERTY} set to the handler ({@code runc}, {@code kata}); a CRI
 * RuntimeClass names the handler.
 *
 * <p>A runtime keeps no state the daemon needs to survive a restart: its tasks live in shims, and
 * {@link #tasks()} finds them again from the shims' state directories, so a runtime plugin can be
 * stopped, updated and started again while its containers keep running.
 */
@ProviderType
public interface Runtime {

    /** Service property holding the handler name. */
    String RUNTIME_PROPERTY = "hawser.runtime";

    /**
     * Creates a task: mounts its root filesystem, starts its shim and has the OCI runtime create
     * the container. The init process is created but not started, so the caller can attach to its
     * streams and set up networking first.
     *
     * @throws HawserException {@code ALREADY_EXISTS} when a task with the id exists
     * @throws HawserException {@code UNIMPLEMENTED} when the runtime cannot serve the request's IO
     *                         variant or a checkpoint restore
     * @throws IOException                 when the shim or the OCI runtime fails; the message
     *                                     carries the runtime's own error
     */
    Task create(CreateTaskRequest request) throws IOException;

    /** Every task of this runtime, including those created before the daemon last started. */
    List<Task> tasks() throws IOException;

    /** The task with the id, if this runtime has it. */
    Optional<Task> task(String id) throws IOException;
}
