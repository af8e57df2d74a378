package io.hawser.commands.internal.containers;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser kill}: sends a signal ({@code SIGKILL} unless told) to containers' init processes. */
@Component(property = Command.NAME_PROPERTY + "=kill")
public final class KillCommand implements Command {

    private final ContainerService containers;

    @Activate
    public KillCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "send a signal (default SIGKILL) to running containers";
    }

    @Override
    public String usage() {
        return "[-s|--signal SIGNAL] CONTAINER...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        int signal = signal(arguments.option("-s", "--signal").orElse("SIGKILL"));
        List<String> names = arguments.operands(1, Integer.MAX_VALUE, "a container");
        return EachContainer.apply(containers, context, "kill", names, (container, named) -> {
            Task task = ContainerLookup.task(containers, container, named);
            TaskState.Status status = task.state().status();
            if (status != TaskState.Status.RUNNING && status != TaskState.Status.PAUSED && status != TaskState.Status.PAUSING) {
                throw new CommandException("container " + named + " is not running");
            }
            task.kill(signal, false);
        });
    }

    static int signal(String name) throws CommandException {
        try {
            return Signals.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage(), CommandException.USAGE);
        }
    }
}
