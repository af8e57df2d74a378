package io.hawser.commands.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.hawser.frontend.Command;
import io.hawser.frontend.CommandException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Follows every {@link Command} service and offers it at both doors: in the registry the CLI
 * socket uses, and as a Gogo command {@code hawser:NAME}.
 */
@Component(service = CommandsComponent.class)
public final class CommandsComponent {

    private final BundleContext context;
    private final CommandRegistry registry = new CommandRegistry();
    /** Gogo functions by name: one per first word of the command names. Guarded by itself. */
    private final Map<String, ServiceRegistration<Function>> gogo = new HashMap<>();
    /** The commands taken, by reference. Guarded by itself. */
    private final Map<ServiceReference<Command>, ServiceCommand> services = new HashMap<>();

    @Activate
    public CommandsComponent(BundleContext context) {
        this.context = context;
        syncGogo();
    }

    /** The commands, for the CLI socket. */
    public CommandRegistry registry() {
        return registry;
    }

    /**
     * Takes commands by reference and gets each service only when it first runs (or when
     * {@code help} asks for its summary), so the services behind a command (the content store,
     * the metadata database, the registry client) start on first use, not with the daemon.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommand(ServiceReference<Command> reference) {
        ServiceCommand command = new ServiceCommand(context, reference);
        synchronized (services) {
            services.put(reference, command);
        }
        names(reference).forEach(name -> registry.add(name, command));
        syncGogo();
    }

    void removeCommand(ServiceReference<Command> reference) {
        ServiceCommand command;
        synchronized (services) {
            command = services.remove(reference);
        }
        if (command != null) {
            names(reference).forEach(name -> registry.remove(name, command));
            command.release();
        }
        syncGogo();
    }

    @Deactivate
    void deactivate() {
        List<ServiceRegistration<Function>> registrations;
        synchronized (gogo) {
            registrations = List.copyOf(gogo.values());
            gogo.clear();
        }
        registrations.forEach(ServiceRegistration::unregister);
    }

    /** A command's names: the property holds one name or several (an alias, or a two-word form). */
    private static List<String> names(ServiceReference<Command> reference) {
        return switch (reference.getProperty(Command.NAME_PROPERTY)) {
            case String name -> List.of(name);
            case String[] names -> List.of(names);
            case null, default -> List.of();
        };
    }

    /**
     * Offers one Gogo function per first word of the command names: {@code hawser:image inspect X}
     * reaches the function {@code image} with the arguments {@code inspect X}, and the registry
     * finds the two-word command, as it does for the CLI.
     */
    private void syncGogo() {
        Set<String> words = registry.all().keySet().stream().map(n -> n.split(" ")[0]).collect(Collectors.toSet());
        synchronized (gogo) {
            for (var it = gogo.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                if (!words.contains(entry.getKey())) {
                    entry.getValue().unregister();
                    it.remove();
                }
            }
            for (String word : words) {
                gogo.computeIfAbsent(word, this::registerGogo);
            }
        }
    }

    private ServiceRegistration<Function> registerGogo(String word) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(CommandProcessor.COMMAND_SCOPE, "hawser");
        properties.put(CommandProcessor.COMMAND_FUNCTION, word);
        return context.registerService(Function.class, (session, arguments) -> runInConsole(word, session, arguments), properties);
    }

    /** Gogo has already pointed System.out and System.err at the session's streams for this thread. */
    private Object runInConsole(String name, CommandSession session, List<Object> arguments) throws CommandException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(name);
        arguments.forEach(a -> commandLine.add(String.valueOf(a)));
        int status = registry.run(commandLine, new StreamsContext(System.out, System.err, session.getKeyboard(),
                System.console() != null && System.console().isTerminal(), 80, Path.of(System.getProperty("user.dir"))));
        if (status != 0) {
            throw new CommandException("exit status " + status, status);
        }
        return null;
    }
}
