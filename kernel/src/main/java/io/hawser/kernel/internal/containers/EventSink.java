package io.hawser.kernel.internal.containers;

import java.util.Map;

/**
 * Where the container service publishes its events: Event Admin in the daemon, a list in tests.
 * Publishing must not block on subscribers ({@code postEvent}).
 */
@FunctionalInterface
public interface EventSink {

    /**
     * @param topic      one of {@link io.hawser.events.Topics}
     * @param properties keys of {@link io.hawser.events.EventProperties}, values strings, boxed
     *                   numbers and booleans
     */
    void post(String topic, Map<String, Object> properties);
}
