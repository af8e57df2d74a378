package io.hawser.commands.internal.images;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.content.ContentInfo;
import io.hawser.content.ContentStore;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser content ls}: the committed blobs of the content store. */
@Component(property = Command.NAME_PROPERTY + "=content ls")
public final class ContentLsCommand implements Command {

    private final ContentStore content;

    @Activate
    public ContentLsCommand(@Reference ContentStore content) {
        this.content = content;
    }

    @Override
    public String summary() {
        return "list the blobs in the content store";
    }

    @Override
    public String usage() {
        return "[-q|--quiet]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        boolean quiet = arguments.flag("-q", "--quiet");
        arguments.operands(0, 0, "nothing");
        List<ContentInfo> blobs = new ArrayList<>();
        content.walk(blob -> true, blobs::add);
        if (quiet) {
            blobs.forEach(blob -> context.out().println(blob.digest()));
            return 0;
        }
        Instant now = Instant.now();
        TextTable table = new TextTable("DIGEST", "SIZE", "AGE", "LABELS");
        for (ContentInfo blob : blobs) {
            String labels = blob.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
            table.row(blob.digest().toString(), Sizes.bytes(blob.size()), Sizes.age(Duration.between(blob.created(), now)),
                    labels.isEmpty() ? "-" : labels);
        }
        table.print(context.out());
        return 0;
    }
}
