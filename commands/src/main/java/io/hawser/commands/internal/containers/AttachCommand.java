package io.hawser.commands.internal.containers;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Task;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser attach}: connects the client to a running container's own process, as
 * {@code docker attach} does — its output from now on (earlier output is in {@code logs}), the
 * client's input when the container was made with {@code -i} (unless {@code --no-stdin}), its
 * terminal when it was made with {@code -t} — and exits with the container's status. Without a
 * terminal, Ctrl-C, SIGTERM and SIGHUP are passed to the process. A client that goes away leaves
 * the container running.
 */
@Component(property = Command.NAME_PROPERTY + "=attach")
public final class AttachCommand implements Command {

    static final String USAGE = "[--no-stdin] CONTAINER";

    private final ContainerService containers;

    @Activate
    public AttachCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "attach to a running container's process: its output, input and terminal";
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        boolean noStdin = arguments.flag("--no-stdin");
        String name = arguments.operands(1, 1, "a container").getFirst();
        Container container = ContainerLookup.find(containers, name);
        Task task = ContainerLookup.running(containers, container, name);
        boolean input = container.stdin() && !noStdin;
        if (container.terminal() && input && !context.terminal()) {
            throw new CommandException("the input device is not a TTY: attach with --no-stdin, or from a terminal");
        }
        try (Attachment attachment = task.attach()) {
            if (container.terminal()) {
                RunCommand.openTerminal(context, input, task);
            }
            Thread output = Pumps.output(attachment, context.out(), context.err());
            if (input) {
                Pumps.input(context.in(), attachment);
            }
            if (!container.terminal()) {
                RunCommand.forwardSignals(context, task);
            }
            ExitStatus status = RunCommand.await(task.waitFor());
            output.join(RunCommand.OUTPUT_AFTER_EXIT);
            return status.code();
        }
    }
}
