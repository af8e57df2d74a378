package io.hawser.commands.internal.snapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser snapshots tree}: the snapshots of a snapshotter as the tree their parents make. */
@Component(property = Command.NAME_PROPERTY + "=snapshots tree")
public final class SnapshotsTreeCommand implements Command {

    private final Snapshotters snapshotters;

    @Activate
    public SnapshotsTreeCommand(@Reference Snapshotters snapshotters) {
        this.snapshotters = snapshotters;
    }

    @Override
    public String summary() {
        return "show the snapshots of a snapshotter as a tree of parents and children";
    }

    @Override
    public String usage() {
        return "[--snapshotter ID]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        var snapshotter = snapshotters.get(arguments.option("--snapshotter").orElse(""));
        arguments.operands(0, 0, "nothing");
        Map<String, List<SnapshotInfo>> children = new TreeMap<>();
        for (SnapshotInfo info : SnapshotsLsCommand.all(snapshotter)) {
            children.computeIfAbsent(info.parent(), parent -> new ArrayList<>()).add(info);
        }
        print(context, children, "", "");
        return 0;
    }

    private static void print(CommandContext context, Map<String, List<SnapshotInfo>> children, String parent, String indent) {
        for (SnapshotInfo child : children.getOrDefault(parent, List.of())) {
            context.out().println(indent + "\\_ " + child.name() + (child.kind() == Kind.COMMITTED ? "" : " (" + child.kind().name().toLowerCase(Locale.ROOT) + ")"));
            print(context, children, child.name(), indent + "  ");
        }
    }
}
