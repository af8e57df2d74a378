package io.hawser.commands.internal.images;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.images.RegistryAuth;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser pull}: fetches an image from its registry into the content store. */
@Component(property = Command.NAME_PROPERTY + "=pull")
public final class PullCommand implements Command {

    private final ImageService images;

    @Activate
    public PullCommand(@Reference ImageService images) {
        this.images = images;
    }

    @Override
    public String summary() {
        return "pull an image from a registry and unpack it into a snapshotter";
    }

    @Override
    public String usage() {
        return "[--platform OS/ARCH[/VARIANT]] [-u|--user USER[:PASSWORD]] [--snapshotter ID] [--no-unpack] REFERENCE";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Platform platform = platform(arguments.option("--platform"));
        Optional<String> user = arguments.option("-u", "--user");
        String snapshotter = arguments.option("--snapshotter").orElse("");
        boolean unpack = !arguments.flag("--no-unpack");
        String reference = arguments.operands(1, 1, "an image reference").getFirst();

        PullProgressPrinter progress = new PullProgressPrinter(context.out(), context.terminal(), context.columns());
        PullOptions options = PullOptions.defaults().withPlatform(platform).withUnpack(unpack, snapshotter).withProgress(progress);
        if (user.isPresent()) {
            options = options.withAuth(credentials(user.get(), context));
        }
        Image image = images.pull(reference, options);
        progress.finish();
        context.out().println(image.name() + " " + image.target().digest());
        return 0;
    }

    /** {@code --platform}, or the host's platform. */
    static Platform platform(Optional<String> option) throws CommandException {
        try {
            return option.map(Platform::parse).orElse(Platform.host());
        } catch (IllegalArgumentException e) {
            throw new CommandException("--platform: " + e.getMessage(), CommandException.USAGE);
        }
    }

    /** {@code USER:PASSWORD}; a bare {@code USER} reads the password from standard input, as {@code ctr} does. */
    private static RegistryAuth credentials(String user, CommandContext context) throws Exception {
        int colon = user.indexOf(':');
        if (colon >= 0) {
            return new RegistryAuth.Basic("", user.substring(0, colon), user.substring(colon + 1));
        }
        String password = new String(context.in().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new CommandException("--user " + user + " without a password: give USER:PASSWORD or the password on standard input",
                    CommandException.USAGE);
        }
        return new RegistryAuth.Basic("", user, password);
    }
}
