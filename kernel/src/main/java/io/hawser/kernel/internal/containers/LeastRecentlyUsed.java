package io.hawser.kernel.internal.containers;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that holds at most a number of entries, forgetting the least recently used first; not thread-safe. */
final class LeastRecentlyUsed<K, V> extends LinkedHashMap<K, V> {

    private final int capacity;

    LeastRecentlyUsed(int capacity) {
        super(16, 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
