package io.hawser.commands.internal.containers;

import java.io.IOException;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser pause}: freezes every process of running containers. */
@Component(service = Command.class, property = Command.NAME_PROPERTY + "=pause")
public final class PauseCommand extends EachContainerCommand {

    @Activate
    public PauseCommand(@Reference ContainerService containers) {
        super(containers, "pause");
    }

    @Override
    public String summary() {
        return "freeze every process of running containers";
    }

    @Override
    void apply(Container container, String named) throws IOException, CommandException {
        ContainerLookup.running(containers, container, named).pause();
    }
}
