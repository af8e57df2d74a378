package io.hawser.commands.internal.images;

import java.io.IOException;
import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;
import io.hawser.images.ResolvedImage;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser images}: the image records, with the size of the host platform's content. */
@Component(property = {Command.NAME_PROPERTY + "=images", Command.NAME_PROPERTY + "=image ls"})
public final class ImagesCommand implements Command {

    private final ImageStore store;
    private final ImageService service;
    private final Snapshotters snapshotters;

    @Activate
    public ImagesCommand(@Reference ImageStore store, @Reference ImageService service, @Reference Snapshotters snapshotters) {
        this.store = store;
        this.service = service;
        this.snapshotters = snapshotters;
    }

    @Override
    public String summary() {
        return "list images";
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
        List<Image> images = store.list(image -> true);
        if (quiet) {
            images.forEach(image -> context.out().println(image.name()));
            return 0;
        }
        TextTable table = new TextTable("REF", "TYPE", "DIGEST", "SIZE", "PLATFORM", "UNPACKED");
        for (Image image : images) {
            String size = "-";
            String platform = "incomplete";
            String unpacked = "-";
            try {
                ResolvedImage resolved = service.resolve(image, Platform.host());
                size = Sizes.bytes(resolved.size());
                platform = resolved.platform().toString();
                unpacked = unpackedIn(resolved);
            } catch (IOException e) {
                // listed all the same: an image whose content is partly gone is what `gc` and `rmi` are for
            }
            table.row(image.name(), image.target().mediaType(), image.target().digest().toString(), size, platform, unpacked);
        }
        table.print(context.out());
        return 0;
    }

    /** The snapshotters holding the image's top layer: those it is unpacked in. */
    private String unpackedIn(ResolvedImage image) {
        if (image.layers().isEmpty()) {
            return "-";
        }
        String top = image.chainId().toString();
        List<String> holders = snapshotters.ids().stream().filter(id -> {
            try {
                return snapshotters.find(id).orElseThrow().stat(top).kind() == Kind.COMMITTED;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).toList();
        return holders.isEmpty() ? "-" : String.join(",", holders);
    }
}
