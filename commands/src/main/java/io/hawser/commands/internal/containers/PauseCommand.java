package io.hawser.commands.internal.containers;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser pause}: freezes every process of running containers. */
@Component(property = Command.NAME_PROPERTY + "=pause")
public final class PauseCommand implements Command {

    private final ContainerService containers;

    @Activate
    public PauseCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "freeze every process of running containers";
    }

    @Override
    public String usage() {
        return "CONTAINER...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        List<String> names = Arguments.of(args).operands(1, Integer.MAX_VALUE, "a container");
        return EachContainer.apply(containers, context, "pause", names,
                (container, named) -> ContainerLookup.running(containers, container, named).pause());
    }
}
