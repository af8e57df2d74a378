package io.hawser.commands.internal.containers;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser resume} (or {@code unpause}, docker's word): thaws paused containers. */
@Component(property = {Command.NAME_PROPERTY + "=resume", Command.NAME_PROPERTY + "=unpause"})
public final class ResumeCommand implements Command {

    private final ContainerService containers;

    @Activate
    public ResumeCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "thaw paused containers";
    }

    @Override
    public String usage() {
        return "CONTAINER...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        List<String> names = Arguments.of(args).operands(1, Integer.MAX_VALUE, "a container");
        return EachContainer.apply(containers, context, "resume", names, (container, named) -> {
            Task task = ContainerLookup.task(containers, container, named);
            TaskState.Status status = task.state().status();
            if (status != TaskState.Status.PAUSED && status != TaskState.Status.PAUSING) {
                throw new CommandException("container " + named + " is not paused");
            }
            task.resume();
        });
    }
}
