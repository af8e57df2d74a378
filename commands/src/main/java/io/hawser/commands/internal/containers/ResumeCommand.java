package io.hawser.commands.internal.containers;

import java.io.IOException;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser resume} (or {@code unpause}, docker's word): thaws paused containers. */
@Component(service = Command.class, property = {Command.NAME_PROPERTY + "=resume", Command.NAME_PROPERTY + "=unpause"})
public final class ResumeCommand extends EachContainerCommand {

    @Activate
    public ResumeCommand(@Reference ContainerService containers) {
        super(containers, "resume");
    }

    @Override
    public String summary() {
        return "thaw paused containers";
    }

    @Override
    void apply(Container container, String named) throws IOException, CommandException {
        Task task = ContainerLookup.task(containers, container, named);
        TaskState.Status status = task.state().status();
        if (status != TaskState.Status.PAUSED && status != TaskState.Status.PAUSING) {
            throw new CommandException("container " + named + " is not paused");
        }
        task.resume();
    }
}
