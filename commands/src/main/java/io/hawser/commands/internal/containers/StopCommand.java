package io.hawser.commands.internal.containers;

import java.time.Duration;
import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser stop}: each container's stop signal, then {@code SIGKILL} to all its processes when
 * it has not exited within the grace period. A container that is not running is already stopped.
 */
@Component(property = Command.NAME_PROPERTY + "=stop")
public final class StopCommand implements Command {

    static final int DEFAULT_GRACE_SECONDS = 10;

    private final ContainerService containers;

    @Activate
    public StopCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "stop running containers: stop signal, then SIGKILL after the grace period";
    }

    @Override
    public String usage() {
        return "[-t|--time SECONDS (default " + DEFAULT_GRACE_SECONDS + ", -1 waits for ever)] CONTAINER...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Duration grace = grace(arguments.option("-t", "--time").orElse(Integer.toString(DEFAULT_GRACE_SECONDS)));
        List<String> names = arguments.operands(1, Integer.MAX_VALUE, "a container");
        return EachContainer.apply(containers, context, "stop", names, (container, named) -> {
            var task = containers.task(container.id());
            if (task.isPresent()) {
                Stopper.stop(task.get(), container.stopSignal(), grace);
            }
        });
    }

    /** {@code -t}: whole seconds; negative means no limit. */
    static Duration grace(String seconds) throws CommandException {
        try {
            long value = Long.parseLong(seconds);
            return value < 0 ? Duration.ofSeconds(-1) : Duration.ofSeconds(value);
        } catch (NumberFormatException e) {
            throw new CommandException("-t " + seconds + ": give whole seconds", CommandException.USAGE);
        }
    }
}
