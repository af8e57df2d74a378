package io.hawser.cri;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.hawser.runtime.Runtime;

/**
 * The runtime handlers serving now: every {@link Runtime} service by its {@value Runtime#RUNTIME_PROPERTY}
 * property. Runtime plugins come and go with their bundles; the CRI status lists what is here at
 * the moment it is asked.
 */
final class RuntimeHandlers {

    // keyed by the service object: one bundle's runtime leaving must not remove another's
    // registration of the same handler name
    private final Map<Runtime, String> handlers = new ConcurrentHashMap<>();

    void add(Runtime runtime, String handler) {
        handlers.put(runtime, handler);
    }

    void remove(Runtime runtime) {
        handlers.remove(runtime);
    }

    /** The handler names, sorted, each once. */
    SortedSet<String> names() {
        return new TreeSet<>(handlers.values());
    }

    /** Whether a runtime serves the handler. */
    boolean has(String handler) {
        return handlers.containsValue(handler);
    }
}
