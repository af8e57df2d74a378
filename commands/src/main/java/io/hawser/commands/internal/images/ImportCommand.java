package io.hawser.commands.internal.images;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImportOptions;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser import}: reads an OCI layout or {@code docker save} archive, from a file or stdin. */
@Component(property = {Command.NAME_PROPERTY + "=import", Command.NAME_PROPERTY + "=image import"})
public final class ImportCommand implements Command {

    private final ImageService images;

    @Activate
    public ImportCommand(@Reference ImageService images) {
        this.images = images;
    }

    @Override
    public String summary() {
        return "import images from an OCI layout or docker save archive (- reads standard input)";
    }

    @Override
    public String usage() {
        return "[--platform OS/ARCH[/VARIANT]] [--snapshotter ID] [--no-unpack] [--base-name NAME] FILE|-";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        var platform = arguments.option("--platform").isPresent() ? PullCommand.platform(arguments.option("--platform")) : null;
        String snapshotter = arguments.option("--snapshotter").orElse("");
        boolean unpack = !arguments.flag("--no-unpack");
        String baseName = arguments.option("--base-name").orElse("");
        String file = arguments.operands(1, 1, "an archive file, or - for standard input").getFirst();
        try (InputStream archive = new BufferedInputStream(file.equals("-") ? context.in() : Files.newInputStream(context.resolve(file)))) {
            List<Image> imported = images.importArchive(archive, new ImportOptions(platform, unpack, snapshotter, baseName));
            for (Image image : imported) {
                context.out().println(image.name() + " " + image.target().digest());
            }
        }
        return 0;
    }
}
