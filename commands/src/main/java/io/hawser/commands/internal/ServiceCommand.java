package io.hawser.commands.internal;

import java.util.List;

import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A command service, got from the framework the first time it is used. Until then its component
 * (and what that component needs) need not be active.
 */
final class ServiceCommand implements Command {

    private final BundleContext context;
    private final ServiceReference<Command> reference;
    /** Guarded by this. */
    private Command service;

    ServiceCommand(BundleContext context, ServiceReference<Command> reference) {
        this.context = context;
        this.reference = reference;
    }

    private synchronized Command service() {
        if (service == null) {
            service = context.getService(reference);
            if (service == null) {
                throw new IllegalStateException("the command " + reference.getProperty(NAME_PROPERTY) + " is going away");
            }
        }
        return service;
    }

    /** Gives the service back, if it was got. */
    synchronized void release() {
        if (service != null) {
            service = null;
            context.ungetService(reference);
        }
    }

    @Override
    public String summary() {
        return service().summary();
    }

    @Override
    public String usage() {
        return service().usage();
    }

    @Override
    public int run(CommandContext commandContext, List<String> args) throws Exception {
        return service().run(commandContext, args);
    }
}
