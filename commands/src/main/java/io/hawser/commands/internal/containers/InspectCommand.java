package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser inspect}: containers as a JSON array, one object each: the record, the OCI runtime
 * specification as an object, and the task's state, pid and exit status.
 */
@Component(property = {Command.NAME_PROPERTY + "=inspect", Command.NAME_PROPERTY + "=container inspect"})
public final class InspectCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ContainerService containers;

    @Activate
    public InspectCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "show containers as JSON: record, runtime specification, task state";
    }

    @Override
    public String usage() {
        return EachContainer.USAGE;
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        List<String> names = EachContainer.names(args);
        ArrayNode array = JSON.createArrayNode();
        int status = 0;
        for (String name : names) {
            try {
                Container container = ContainerLookup.find(containers, name);
                Optional<Task> task = containers.task(container.id());
                array.add(json(container, task.isPresent() ? Optional.of(task.get().state()) : Optional.empty()));
            } catch (CommandException | IOException e) {
                context.err().println("hawser inspect: " + e.getMessage());
                status = 1;
            }
        }
        context.out().println(JSON.writeValueAsString(array));
        return status;
    }

    static ObjectNode json(Container container, Optional<TaskState> state) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Id", container.id());
        node.put("Name", container.name());
        node.put("Image", container.image());
        node.put("Created", container.createdAt().toString());
        node.put("Runtime", container.runtime());
        node.put("Snapshotter", container.snapshotter());
        node.put("SnapshotKey", container.snapshotKey());
        node.put("LogPath", container.logPath().toString());
        node.put("Stdin", container.stdin());
        node.put("StdinOnce", container.stdinOnce());
        node.put("Tty", container.terminal());
        node.put("StopSignal", container.stopSignal());
        ObjectNode labels = node.putObject("Labels");
        container.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(label -> labels.put(label.getKey(), label.getValue()));
        ObjectNode task = node.putObject("State");
        if (state.isEmpty()) {
            task.put("Status", "no task");
        } else {
            task.put("Status", state.get().status().name().toLowerCase(java.util.Locale.ROOT));
            task.put("Pid", state.get().pid());
            ExitStatus exit = state.get().exitStatus();
            if (exit != null) {
                task.put("ExitCode", exit.code());
                task.put("ExitedAt", exit.exitedAt().toString());
                task.put("Signal", exit.signal());
                task.put("OOMKilled", exit.oomKilled());
            }
        }
        try {
            node.set("Spec", JSON.readTree(container.spec()));
        } catch (JsonProcessingException e) {
            node.put("Spec", container.spec());
        }
        return node;
    }
}
