package io.hawser.commands.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import io.hawser.frontend.Command;
import io.hawser.frontend.CommandException;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
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
    /** Guarded by itself. */
    private final Map<Command, ServiceRegistration<Function>> gogo = new HashMap<>();

    @Activate
    public CommandsComponent(BundleContext context) {
        this.context = context;
        register("help", registry.find("help").orElseThrow());
    }

    /** The commands, for the CLI socket. */
    public CommandRegistry registry() {
        return registry;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommand(Command command, Map<String, Object> properties) {
        Object name = properties.get(Command.NAME_PROPERTY);
        if (name != null) {
            registry.add(name.toString(), command);
            register(name.toString(), command);
        }
    }

    void removeCommand(Command command, Map<String, Object> properties) {
        Object name = properties.get(Command.NAME_PROPERTY);
        if (name != null) {
            registry.remove(name.toString(), command);
        }
        ServiceRegistration<Function> registration;
        synchronized (gogo) {
            registration = gogo.remove(command);
        }
        if (registration != null) {
            registration.unregister();
        }
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

    private void register(String name, Command command) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(CommandProcessor.COMMAND_SCOPE, "hawser");
        properties.put(CommandProcessor.COMMAND_FUNCTION, name);
        ServiceRegistration<Function> registration =
                context.registerService(Function.class, (session, arguments) -> runInConsole(name, session, arguments), properties);
        synchronized (gogo) {
            gogo.put(command, registration);
        }
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
