package io.hawser.commands.internal.containers;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser rm}: removes containers, their tasks and root filesystems; {@code -f} kills running ones first. */
@Component(property = {Command.NAME_PROPERTY + "=rm", Command.NAME_PROPERTY + "=container rm"})
public final class RmCommand implements Command {

    private final ContainerService containers;

    @Activate
    public RmCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "remove containers (-f kills running ones first)";
    }

    @Override
    public String usage() {
        return "[-f|--force] CONTAINER...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        boolean force = arguments.flag("-f", "--force");
        List<String> names = arguments.operands(1, Integer.MAX_VALUE, "a container");
        return EachContainer.apply(containers, context, "rm", names, (container, named) -> {
            if (!force) {
                var task = containers.task(container.id());
                if (task.isPresent()) {
                    TaskState.Status status = task.get().state().status();
                    if (status != TaskState.Status.STOPPED && status != TaskState.Status.CREATED) {
                        throw new CommandException("container " + named + " is " + status.name().toLowerCase(java.util.Locale.ROOT)
                                + ": stop it first, or remove it with rm -f");
                    }
                }
            }
            containers.remove(container.id(), force);
        });
    }
}
