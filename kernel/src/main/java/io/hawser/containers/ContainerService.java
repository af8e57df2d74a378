package io.hawser.containers;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import io.hawser.errors.HawserException;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Task;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates containers from images, runs their tasks through the runtime plugins and removes them.
 * The kernel provides it. A failed call leaves nothing behind: no record, snapshot, bundle or
 * mount of the attempt. Methods block while snapshotters and runtimes work, usually milliseconds.
 */
@ProviderType
public interface ContainerService {

    /**
     * Creates a container: prepares its root filesystem snapshot from the image (unpacking the
     * image into the snapshotter first if needed), generates its runtime specification and records
     * it. Publishes {@code hawser/containers/create}.
     *
     * @throws HawserException {@code NOT_FOUND} naming the image, runtime handler or snapshotter
     *                         that does not exist
     * @throws HawserException {@code ALREADY_EXISTS} when the id or name is taken
     * @throws HawserException {@code INVALID_ARGUMENT} naming the setting that is wrong (a memory
     *                         size, a user the image does not have, an unknown capability)
     */
    Container create(ContainerConfig config) throws IOException;

    /**
     * Finds a container by its id, its name or an unambiguous prefix of its id, as docker and
     * nerdctl accept.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} when a prefix matches several containers
     */
    Optional<Container> find(String idOrName) throws IOException;

    /** Every container, oldest first. */
    List<Container> list() throws IOException;

    /**
     * Creates the container's task: writes its OCI bundle, has its runtime mount the root
     * filesystem, start the shim and create the init process, which then waits for
     * {@link Task#start()}. The task's streams go to the container's log file; live output and
     * input go through {@link io.hawser.runtime.Process#attach()}. Publishes
     * {@code hawser/tasks/create}; the service publishes the task's later events itself.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such container or its runtime is
     *                         not available
     * @throws HawserException {@code FAILED_PRECONDITION} when the container already has a task
     * @throws IOException                 carrying the runtime's error, for example a command the
     *                                     image does not have
     */
    Task createTask(String containerId) throws IOException;

    /**
     * The container's task, running or ended but not deleted, if it has one. The returned task
     * publishes events for what is done through it ({@code start}, {@code exec-started},
     * {@code paused}, {@code resumed}).
     */
    Optional<Task> task(String containerId) throws IOException;

    /**
     * Deletes the container's ended task, releasing its shim and unmounting its root filesystem,
     * and returns how it ended. Publishes {@code hawser/tasks/delete}.
     *
     * @throws HawserException {@code NOT_FOUND} when the container has no task
     * @throws HawserException {@code FAILED_PRECONDITION} when the task still runs
     */
    ExitStatus deleteTask(String containerId) throws IOException;

    /**
     * Resolves a user as the container's running root filesystem has it, for a process exec'd into
     * it, as {@code docker exec -u} does: {@code name|uid[:group|gid]}, names, primary group and
     * supplementary groups from its {@code /etc/passwd} and {@code /etc/group}, neither read
     * through a symbolic link. A uid without an entry runs with group 0 unless one is given.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such container
     * @throws HawserException {@code FAILED_PRECONDITION} when it has no running task
     * @throws HawserException {@code INVALID_ARGUMENT} naming a user or group the container does not
     *                         have, or a malformed specification
     */
    ProcessUser resolveUser(String containerId, String user) throws IOException;

    /**
     * Removes a container: its task if it has one, its snapshot and its record. Publishes
     * {@code hawser/containers/delete}.
     *
     * @param force kill a running task with {@code SIGKILL} first instead of refusing
     * @throws HawserException {@code NOT_FOUND} when there is no such container
     * @throws HawserException {@code FAILED_PRECONDITION} when its task runs and {@code force} is
     *                         not set
     */
    void remove(String containerId, boolean force) throws IOException;
}
