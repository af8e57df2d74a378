package io.hawser.commands.internal.snapshots;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;
import io.hawser.snapshots.Usage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser snapshots usage}: the disk each snapshot uses of its own, in bytes and inodes. */
@Component(property = Command.NAME_PROPERTY + "=snapshots usage")
public final class SnapshotsUsageCommand implements Command {

    private final Snapshotters snapshotters;

    @Activate
    public SnapshotsUsageCommand(@Reference Snapshotters snapshotters) {
        this.snapshotters = snapshotters;
    }

    @Override
    public String summary() {
        return "show the disk space and inodes snapshots use (all of them, or the keys named)";
    }

    @Override
    public String usage() {
        return "[--snapshotter ID] [KEY...]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Snapshotter snapshotter = snapshotters.get(arguments.option("--snapshotter").orElse(""));
        List<String> keys = arguments.operands(0, Integer.MAX_VALUE, "snapshot keys");
        if (keys.isEmpty()) {
            keys = SnapshotsLsCommand.all(snapshotter).stream().map(SnapshotInfo::name).toList();
        }
        TextTable table = new TextTable("KEY", "SIZE", "INODES");
        for (String key : keys) {
            Usage usage = snapshotter.usage(key);
            table.row(key, Long.toString(usage.size()), Long.toString(usage.inodes()));
        }
        table.print(context.out());
        return 0;
    }
}
