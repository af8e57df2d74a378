package io.hawser.commands.internal.containers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;

import io.hawser.commands.internal.Arguments;
import io.hawser.events.EventProperties;
import io.hawser.events.Topics;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * {@code hawser events}: the daemon's events as they happen, one line each (time, topic,
 * properties), until interrupted. It subscribes through Event Admin only while it runs.
 */
@Component(property = Command.NAME_PROPERTY + "=events")
public final class EventsCommand implements Command {

    private final BundleContext bundleContext;

    @Activate
    public EventsCommand(BundleContext bundleContext) {
        this.bundleContext = bundleContext;
    }

    @Override
    public String summary() {
        return "stream the daemon's events until interrupted";
    }

    @Override
    public String usage() {
        return "[--filter topic=TOPIC|PREFIX/*]... [--filter id=ID]...";
    }

    /**
     * What to show: an event passes when it matches one of the topics (all when none are given)
     * and one of the ids (all when none are given).
     */
    record Filter(List<String> topics, List<String> ids) {

        static Filter parse(List<String> filters) throws CommandException {
            List<String> topics = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (String filter : filters) {
                if (filter.startsWith("topic=") && filter.length() > 6) {
                    topics.add(filter.substring(6));
                } else if (filter.startsWith("id=") && filter.length() > 3) {
                    ids.add(filter.substring(3));
                } else {
                    throw new CommandException("--filter " + filter + ": use topic=TOPIC (hawser/tasks/exit, hawser/tasks/*) or id=ID",
                            CommandException.USAGE);
                }
            }
            return new Filter(List.copyOf(topics), List.copyOf(ids));
        }

        boolean accepts(Event event) {
            Object id = event.getProperty(EventProperties.ID);
            return (topics.isEmpty() || topics.stream().anyMatch(t -> Topics.matches(t, event.getTopic())))
                    && (ids.isEmpty() || (id instanceof String s && ids.stream().anyMatch(s::startsWith)));
        }
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        Filter filter = Filter.parse(arguments.options("--filter", "-f"));
        arguments.operands(0, 0, "nothing");
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, Topics.ROOT + "/*");
        ServiceRegistration<EventHandler> registration = bundleContext.registerService(EventHandler.class, events::add, properties);
        try {
            while (true) {
                Event event = events.take();
                if (filter.accepts(event)) {
                    context.out().println(line(event));
                }
            }
        } finally {
            registration.unregister();
        }
    }

    /** {@code TIME TOPIC KEY=VALUE...}, the properties sorted, without Event Admin's own. */
    static String line(Event event) {
        Object timestamp = event.getProperty(EventProperties.TIMESTAMP);
        Instant time = timestamp instanceof Long millis ? Instant.ofEpochMilli(millis) : Instant.now();
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (String name : event.getPropertyNames()) {
            if (!name.equals(EventProperties.TIMESTAMP) && !name.equals(EventConstants.EVENT_TOPIC)) {
                sorted.put(name, event.getProperty(name));
            }
        }
        StringBuilder line = new StringBuilder(time.toString()).append(' ').append(event.getTopic());
        sorted.forEach((name, value) -> line.append(' ').append(name).append('=').append(value));
        return line.toString();
    }
}
