package io.hawser.commands.internal.images;

import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.content.CollectionReport;
import io.hawser.content.GarbageCollector;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser gc}: removes content and stale ingests nothing refers to. */
@Component(property = Command.NAME_PROPERTY + "=gc")
public final class GcCommand implements Command {

    private final GarbageCollector collector;

    @Activate
    public GcCommand(@Reference GarbageCollector collector) {
        this.collector = collector;
    }

    @Override
    public String summary() {
        return "remove content that no image, lease or container refers to";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments.of(args).operands(0, 0, "nothing");
        CollectionReport report = collector.collect();
        report.removedBlobs().forEach(blob -> context.out().println("removed " + blob));
        report.removedIngests().forEach(ref -> context.out().println("removed ingest " + ref));
        context.out().printf("freed %s in %d blobs and %d ingests; %d expired leases; took %d ms%n",
                Sizes.bytes(report.bytesFreed()), report.removedBlobs().size(), report.removedIngests().size(),
                report.expiredLeases(), report.duration().toMillis());
        return 0;
    }
}
