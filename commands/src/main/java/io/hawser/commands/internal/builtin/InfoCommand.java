package io.hawser.commands.internal.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser info}: where the daemon keeps things, how its plugins fare, how long it has run. */
@Component(property = Command.NAME_PROPERTY + "=info")
public final class InfoCommand implements Command {

    private final Daemon daemon;
    private final PluginRegistry registry;

    @Activate
    public InfoCommand(@Reference Daemon daemon, @Reference PluginRegistry registry) {
        this.daemon = daemon;
        this.registry = registry;
    }

    @Override
    public String summary() {
        return "show the daemon's directories, plugin counts and uptime";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws CommandException {
        Arguments.of(args).operands(0, 0, "nothing");
        List<PluginInfo> plugins = registry.plugins();
        Map<String, Long> byStatus = plugins.stream()
                .collect(Collectors.groupingBy(p -> p.status().state().label(), TreeMap::new, Collectors.counting()));
        context.out().println("Version:  " + daemon.version());
        context.out().println("Root:     " + daemon.root());
        context.out().println("State:    " + daemon.state());
        context.out().println("Config:   " + daemon.config());
        context.out().println("PID:      " + ProcessHandle.current().pid());
        context.out().println("Plugins:  " + plugins.size() + " (" + byStatus.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + ")");
        context.out().println("Uptime:   " + format(Duration.between(daemon.started(), Instant.now())));
        return 0;
    }

    /** {@code 3d 4h 5m 6s}, leaving out leading zero units. */
    static String format(Duration uptime) {
        long seconds = Math.max(0, uptime.toSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append("d ");
        }
        if (days > 0 || hours > 0) {
            text.append(hours).append("h ");
        }
        if (days > 0 || hours > 0 || minutes > 0) {
            text.append(minutes).append("m ");
        }
        return text.append(seconds % 60).append('s').toString();
    }
}
