package io.hawser.commands.internal.images;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.content.ContentStore;
import io.hawser.content.IngestStatus;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser content active}: the ingests in progress or left by interrupted downloads. */
@Component(property = Command.NAME_PROPERTY + "=content active")
public final class ContentActiveCommand implements Command {

    private final ContentStore content;

    @Activate
    public ContentActiveCommand(@Reference ContentStore content) {
        this.content = content;
    }

    @Override
    public String summary() {
        return "list partial downloads (ingests): written so far, expected total, last update";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments.of(args).operands(0, 0, "nothing");
        Instant now = Instant.now();
        TextTable table = new TextTable("REF", "WRITTEN", "TOTAL", "UPDATED");
        for (IngestStatus ingest : content.statuses()) {
            table.row(ingest.ref(), Long.toString(ingest.offset()), ingest.total() < 0 ? "-" : Long.toString(ingest.total()),
                    Sizes.age(Duration.between(ingest.updatedAt(), now)));
        }
        table.print(context.out());
        return 0;
    }
}
