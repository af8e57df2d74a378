package io.hawser.commands.internal.images;

import java.util.ArrayList;
import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.content.CollectionReport;
import io.hawser.content.GarbageCollector;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser rmi}: deletes image records, then collects the content nothing refers to any more. */
@Component(property = {Command.NAME_PROPERTY + "=rmi", Command.NAME_PROPERTY + "=image rm"})
public final class RmiCommand implements Command {

    private final ImageStore store;
    private final GarbageCollector collector;

    @Activate
    public RmiCommand(@Reference ImageStore store, @Reference GarbageCollector collector) {
        this.store = store;
        this.collector = collector;
    }

    @Override
    public String summary() {
        return "remove images (their content goes once nothing else refers to it)";
    }

    @Override
    public String usage() {
        return "REFERENCE...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        List<String> names = Arguments.of(args).operands(1, Integer.MAX_VALUE, "an image reference");
        // look every name up first, so a typo in the third name does not leave the first two deleted
        List<Image> images = new ArrayList<>();
        for (String name : names) {
            images.add(ImageLookup.find(store, name));
        }
        for (Image image : images) {
            store.delete(image.name());
            context.out().println("deleted " + image.name());
        }
        CollectionReport report = collector.collect();
        context.out().println("freed " + Sizes.bytes(report.bytesFreed()) + " in " + report.removedBlobs().size() + " blobs");
        return 0;
    }
}
