package io.hawser.commands.internal.builtin;

import java.util.List;
import java.util.Locale;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.plugin.Daemon;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser version}: the daemon's version and what it runs on. */
@Component(property = Command.NAME_PROPERTY + "=version")
public final class VersionCommand implements Command {

    private final Daemon daemon;
    private final BundleContext bundleContext;

    @Activate
    public VersionCommand(@Reference Daemon daemon, BundleContext bundleContext) {
        this.daemon = daemon;
        this.bundleContext = bundleContext;
    }

    @Override
    public String summary() {
        return "print the daemon's version";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws CommandException {
        Arguments.of(args).operands(0, 0, "nothing");
        context.out().println("hawserd:");
        context.out().println("  Version:   " + daemon.version());
        context.out().println("  Java:      " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")");
        context.out().println("  Framework: " + bundleContext.getProperty(Constants.FRAMEWORK_VENDOR) + " "
                + bundleContext.getBundle(0).getSymbolicName() + " " + bundleContext.getBundle(0).getVersion());
        context.out().println("  OS/Arch:   " + System.getProperty("os.name").toLowerCase(Locale.ROOT) + "/" + System.getProperty("os.arch"));
        return 0;
    }
}
