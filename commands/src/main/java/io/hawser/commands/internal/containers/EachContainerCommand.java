package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.util.List;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;

/** A command that takes only containers and does one thing to each, as {@code pause} and {@code resume} do. */
abstract class EachContainerCommand implements Command {

    final ContainerService containers;
    private final String name;

    EachContainerCommand(ContainerService containers, String name) {
        this.containers = containers;
        this.name = name;
    }

    @Override
    public String usage() {
        return EachContainer.USAGE;
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        return EachContainer.apply(containers, context, name, EachContainer.names(args), this::apply);
    }

    /** Does the command's thing to one container; {@code named} is the word that named it. */
    abstract void apply(Container container, String named) throws IOException, CommandException, InterruptedException;
}
