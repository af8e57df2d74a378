package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser ps}: the running containers, or with {@code -a} all of them, as docker lists them. */
@Component(property = {Command.NAME_PROPERTY + "=ps", Command.NAME_PROPERTY + "=container ls"})
public final class PsCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COMMAND_WIDTH = 20;

    private final ContainerService containers;

    @Activate
    public PsCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "list running containers (-a: all)";
    }

    @Override
    public String usage() {
        return "[-a|--all] [-q|--quiet]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        // ps takes no operands, so the untilOperand form costs nothing and splits docker's habitual -aq
        Arguments arguments = Arguments.untilOperand(args, java.util.Set.of(), "aq");
        boolean all = arguments.flag("-a", "--all");
        boolean quiet = arguments.flag("-q", "--quiet");
        arguments.operands(0, 0, "nothing");
        Instant now = Instant.now();
        TextTable table = new TextTable("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES");
        // docker lists the newest first
        for (Container container : containers.list().reversed()) {
            Optional<TaskState> state = state(container);
            if (!all && !running(state)) {
                continue;
            }
            if (quiet) {
                context.out().println(shortId(container.id()));
                continue;
            }
            // the boot time /proc gives is whole seconds: a start before the record's creation is that rounding
            Instant started = state.filter(s -> s.pid() > 0)
                    .flatMap(s -> StatusText.processStart(Path.of("/proc"), s.pid()))
                    .filter(start -> start.isAfter(container.createdAt()))
                    .orElse(container.createdAt());
            table.row(shortId(container.id()), StatusText.image(container.image()),
                    StatusText.command(args(container.spec()), COMMAND_WIDTH), StatusText.ago(container.createdAt(), now),
                    StatusText.status(state, started, now), container.name());
        }
        if (!quiet) {
            table.print(context.out());
        }
        return 0;
    }

    private Optional<TaskState> state(Container container) throws IOException {
        Optional<Task> task = containers.task(container.id());
        return task.isPresent() ? Optional.of(task.get().state()) : Optional.empty();
    }

    /** Whether {@code ps} without {@code -a} shows it: its process exists and has not ended. */
    static boolean running(Optional<TaskState> state) {
        return state.map(s -> switch (s.status()) {
            case RUNNING, PAUSING, PAUSED -> true;
            case CREATED, STOPPED, UNKNOWN -> false;
        }).orElse(false);
    }

    /** The first 12 characters of an id, as docker shows ids. */
    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The process arguments in an OCI runtime specification; none when it has none or is not JSON. */
    static List<String> args(String spec) {
        try {
            JsonNode args = JSON.readTree(spec).path("process").path("args");
            return args.valueStream().map(JsonNode::asText).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
