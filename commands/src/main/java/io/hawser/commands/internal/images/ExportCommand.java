package io.hawser.commands.internal.images;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.images.ArchiveFormat;
import io.hawser.images.ExportOptions;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser export}: writes images to an OCI layout or {@code docker save} archive. */
@Component(property = {Command.NAME_PROPERTY + "=export", Command.NAME_PROPERTY + "=image export"})
public final class ExportCommand implements Command {

    private final ImageService images;
    private final ImageStore store;

    @Activate
    public ExportCommand(@Reference ImageService images, @Reference ImageStore store) {
        this.images = images;
        this.store = store;
    }

    @Override
    public String summary() {
        return "export images to an OCI layout (default) or docker save archive";
    }

    @Override
    public String usage() {
        return "[-o|--output FILE] [--format oci|docker] [--platform OS/ARCH[/VARIANT]] REFERENCE...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Optional<String> output = arguments.option("-o", "--output");
        ArchiveFormat format = format(arguments.option("--format").orElse("oci"));
        Optional<String> platformOption = arguments.option("--platform");
        var platform = platformOption.isPresent() ? PullCommand.platform(platformOption) : null;
        List<String> names = new ArrayList<>();
        for (String name : arguments.operands(1, Integer.MAX_VALUE, "an image reference")) {
            names.add(ImageLookup.find(store, name).name());
        }
        ExportOptions options = new ExportOptions(format, platform);
        if (output.isEmpty() || output.get().equals("-")) {
            if (context.terminal()) {
                throw new CommandException("refusing to write an archive to a terminal: give -o FILE or redirect the output",
                        CommandException.USAGE);
            }
            images.exportArchive(names, context.out(), options);
            context.out().flush();
            return 0;
        }
        // written beside the target and renamed, so a failed export leaves no truncated archive
        Path target = context.resolve(output.get());
        Path partial = Files.createTempFile(target.toAbsolutePath().getParent(), ".export-", ".tar");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                images.exportArchive(names, out, options);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return 0;
    }

    private static ArchiveFormat format(String name) throws CommandException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "oci" -> ArchiveFormat.OCI_LAYOUT;
            case "docker" -> ArchiveFormat.DOCKER_ARCHIVE;
            default -> throw new CommandException("--format " + name + " is not one of oci, docker", CommandException.USAGE);
        };
    }
}
