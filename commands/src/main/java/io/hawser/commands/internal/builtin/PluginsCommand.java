package io.hawser.commands.internal.builtin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginRegistry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser plugins}: every plugin with its bundle, status and reason. */
@Component(property = Command.NAME_PROPERTY + "=plugins")
public final class PluginsCommand implements Command {

    private final PluginRegistry registry;

    @Activate
    public PluginsCommand(@Reference PluginRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String summary() {
        return "list plugins: type, id, bundle, status and why one is not ok";
    }

    @Override
    public String usage() {
        return "[-d|--detailed] [-q|--quiet] [--type TYPE]";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws CommandException {
        Arguments arguments = Arguments.of(args);
        boolean detailed = arguments.flag("-d", "--detailed");
        boolean quiet = arguments.flag("-q", "--quiet");
        String type = arguments.option("-t", "--type").orElse(null);
        arguments.operands(0, 0, "nothing");
        String wanted = type;
        List<PluginInfo> plugins = registry.plugins().stream()
                .filter(p -> wanted == null || p.type().equals(wanted))
                .toList();
        if (quiet) {
            plugins.forEach(p -> context.out().println(p.type() + " " + p.id()));
            return 0;
        }
        TextTable table = detailed
                ? new TextTable("TYPE", "ID", "BUNDLE", "STATUS", "EXPORTS", "REASON")
                : new TextTable("TYPE", "ID", "BUNDLE", "STATUS", "REASON");
        for (PluginInfo p : plugins) {
            if (detailed) {
                String exports = p.exports().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
                table.row(p.type(), p.id(), p.bundle(), p.status().state().label(), exports, p.status().reason());
            } else {
                table.row(p.type(), p.id(), p.bundle(), p.status().state().label(), p.status().reason());
            }
        }
        table.print(context.out());
        return 0;
    }
}
