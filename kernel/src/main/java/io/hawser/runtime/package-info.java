/**
 * Runtimes and tasks: running containers.
 *
 * <p>A {@link io.hawser.runtime.Runtime} serves one handler, a way of running containers: the
 * {@code runc} handler runs them as host processes through an OCI runtime binary, the {@code kata}
 * handler runs each in its own virtual machine. A {@link io.hawser.runtime.Task} is a container
 * running (or about to run, or just ended) under a runtime. The container record, the image and
 * the snapshot belong to the kernel; the task is only the running part.
 *
 * <h2>Lifecycle</h2>
 * {@code create} takes an OCI bundle and the root filesystem mounts, starts a shim and has the OCI
 * runtime set up namespaces and cgroups; the init process then exists, stopped before the
 * container's program, in state {@code CREATED}. {@code start} lets it run ({@code RUNNING}).
 * {@code pause} freezes every process of the task and {@code resume} thaws them. When the init
 * process exits, the shim records the exit status; the task is {@code STOPPED} and
 * {@code waitFor} completes; when the container has its own PID namespace, the processes left in
 * it die with the init process. {@code delete} then releases the runtime's state, unmounts the root filesystem and
 * returns the exit status one last time. A task can be deleted right after {@code create}, but not
 * while it runs: stop it first.
 *
 * <h2>The shim owns the process</h2>
 * The daemon is not the parent of a container. Each task's processes are children of its shim,
 * which holds their standard streams, reaps them and writes their exit status to disk. The daemon
 * or a runtime plugin may stop and start again while containers keep running; on start a runtime
 * finds its tasks again from the shims' state directories ({@link io.hawser.runtime.Runtime#tasks()}),
 * and an exit that happened meanwhile is read from the exit file. A {@code Task} object is
 * therefore a handle, never the owner.
 *
 * <h2>Exec</h2>
 * {@code exec} starts a further process inside a running task, in its namespaces and cgroup, from
 * an OCI process specification: a shell for {@code kubectl exec}, a health probe. It has its own
 * id, streams and exit status, is supervised by the same kind of shim, and is deleted when done or
 * with its task. Exec'd processes never keep a task alive.
 *
 * <h2>Kill</h2>
 * {@code kill} sends a signal, to the init process or with {@code all} to every process in the
 * container. Signals are delivered, not awaited: to stop a task, send {@code SIGTERM}, wait for
 * the exit with a timeout, then send {@code SIGKILL}. The init process of a container is PID 1 in
 * its namespace, so the kernel drops signals it has no handler for, except {@code SIGKILL}.
 *
 * <h2>Errors</h2>
 * Blocking methods throw {@link java.io.IOException}; the conditions a caller handles are
 * {@link io.hawser.errors.HawserException}s with the codes {@code NOT_FOUND}, {@code
 * ALREADY_EXISTS}, {@code FAILED_PRECONDITION} and {@code UNIMPLEMENTED}.
 */
@Export
@Version("1.1.0")
package io.hawser.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
