package io.hawser.commands.internal.containers;

import java.io.IOException;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/** Finds the container a word on the command line names, and its task, with errors that name it. */
final class ContainerLookup {

    private ContainerLookup() {}

    /**
     * The container with this id, name or unambiguous id prefix. An ambiguous prefix fails with the
     * service's message, which names the prefix.
     */
    static Container find(ContainerService containers, String idOrName) throws IOException, CommandException {
        return containers.find(idOrName).orElseThrow(() -> new CommandException("no such container: " + idOrName));
    }

    /** The container's task, which must exist (running, paused or ended). */
    static Task task(ContainerService containers, Container container, String named) throws IOException, CommandException {
        return containers.task(container.id()).orElseThrow(() -> new CommandException("container " + named + " is not running"));
    }

    /** The container's task, which must be running, not created, paused or ended. */
    static Task running(ContainerService containers, Container container, String named) throws IOException, CommandException {
        Task task = task(containers, container, named);
        TaskState.Status status = task.state().status();
        return switch (status) {
            case RUNNING -> task;
            case PAUSED, PAUSING -> throw new CommandException("container " + named + " is paused; resume it first");
            default -> throw new CommandException("container " + named + " is not running");
        };
    }
}
