package io.hawser.commands.internal.snapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser snapshots ls}: the snapshots of a snapshotter, as {@code ctr snapshots ls} shows them. */
@Component(property = Command.NAME_PROPERTY + "=snapshots ls")
public final class SnapshotsLsCommand implements Command {

    private final Snapshotters snapshotters;

    @Activate
    public SnapshotsLsCommand(@Reference Snapshotters snapshotters) {
        this.snapshotters = snapshotters;
    }

    @Override
    public String summary() {
        return "list the snapshots of a snapshotter";
    }

    @Override
    public String usage() {
        return "[--snapshotter ID]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Snapshotter snapshotter = snapshotters.get(arguments.option("--snapshotter").orElse(""));
        arguments.operands(0, 0, "nothing");
        TextTable table = new TextTable("KEY", "PARENT", "KIND");
        for (SnapshotInfo info : all(snapshotter)) {
            table.row(info.name(), info.parent().isEmpty() ? "-" : info.parent(), info.kind().name().toLowerCase(Locale.ROOT));
        }
        table.print(context.out());
        return 0;
    }

    /** Every snapshot of a snapshotter, in the order it walks them. */
    static List<SnapshotInfo> all(Snapshotter snapshotter) throws IOException {
        List<SnapshotInfo> all = new ArrayList<>();
        snapshotter.walk(info -> true, all::add);
        return all;
    }
}
