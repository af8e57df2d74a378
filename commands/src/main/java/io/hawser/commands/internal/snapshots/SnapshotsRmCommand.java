package io.hawser.commands.internal.snapshots;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser snapshots rm}: removes snapshots (a committed one only once it has no children). */
@Component(property = Command.NAME_PROPERTY + "=snapshots rm")
public final class SnapshotsRmCommand implements Command {

    private final Snapshotters snapshotters;

    @Activate
    public SnapshotsRmCommand(@Reference Snapshotters snapshotters) {
        this.snapshotters = snapshotters;
    }

    @Override
    public String summary() {
        return "remove snapshots; a committed snapshot only when nothing is built on it";
    }

    @Override
    public String usage() {
        return "[--snapshotter ID] KEY...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Snapshotter snapshotter = snapshotters.get(arguments.option("--snapshotter").orElse(""));
        for (String key : arguments.operands(1, Integer.MAX_VALUE, "a snapshot key")) {
            snapshotter.remove(key);
            context.out().println("removed " + key);
        }
        snapshotter.cleanup();
        return 0;
    }
}
