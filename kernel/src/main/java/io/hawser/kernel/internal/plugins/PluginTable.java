package io.hawser.kernel.internal.plugins;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginStatus;

/**
 * The registry's bookkeeping, free of OSGi: the plugin services that are registered now, merged
 * with the plugin components the component runtime knows, so that a plugin whose component
 * cannot start still shows, with the reason.
 */
public final class PluginTable {

    /**
     * Where a plugin comes from.
     *
     * @param type   plugin type
     * @param id     plugin id
     * @param bundle symbolic name and version of the declaring bundle
     */
    public record Identity(String type, String id, String bundle) {}

    /**
     * A plugin component as the component runtime describes it.
     *
     * @param identity who it is
     * @param problem  why it is not running, empty when it is (or may be) running
     */
    public record Declared(Identity identity, Optional<String> problem) {}

    private static final Comparator<PluginInfo> ORDER =
            Comparator.comparing(PluginInfo::type).thenComparing(PluginInfo::id).thenComparing(PluginInfo::bundle);

    /** Guarded by this: registrations arrive on the component runtime's threads. */
    private final Map<Object, Registered> registered = new LinkedHashMap<>();

    private record Registered(Identity identity, Plugin plugin) {}

    /**
     * Records a registered plugin service.
     *
     * @param key a key that identifies the registration (the service reference)
     */
    public synchronized void add(Object key, Identity identity, Plugin plugin) {
        registered.put(key, new Registered(identity, plugin));
    }

    /** Forgets a registration: the plugin's id becomes unavailable. */
    public synchronized void remove(Object key) {
        registered.remove(key);
    }

    /**
     * The plugin list: every registered plugin with the status it reports now, then every
     * declared plugin component without a registration, with the reason it has none. Two
     * plugins claiming the same type and id are both listed, and both marked as errors.
     */
    public List<PluginInfo> plugins(List<Declared> declared) {
        List<Registered> live;
        synchronized (this) {
            live = List.copyOf(registered.values());
        }
        List<PluginInfo> rows = new ArrayList<>();
        for (Registered r : live) {
            rows.add(info(r.identity(), statusOf(r.plugin()), exportsOf(r.plugin())));
        }
        for (Declared d : declared) {
            boolean running = live.stream().anyMatch(r -> r.identity().equals(d.identity()));
            if (!running) {
                String reason = d.problem().orElse("component is starting");
                rows.add(info(d.identity(), PluginStatus.error(reason), Map.of()));
            }
        }
        return markDuplicates(rows).stream().sorted(ORDER).toList();
    }

    private static List<PluginInfo> markDuplicates(List<PluginInfo> rows) {
        Map<String, List<PluginInfo>> byName = new HashMap<>();
        for (PluginInfo row : rows) {
            byName.computeIfAbsent(row.type() + "/" + row.id(), k -> new ArrayList<>()).add(row);
        }
        return rows.stream().map(row -> {
            List<PluginInfo> same = byName.get(row.type() + "/" + row.id());
            if (same.size() == 1) {
                return row;
            }
            String others = same.stream().filter(o -> o != row).map(PluginInfo::bundle).distinct()
                    .reduce((a, b) -> a + ", " + b).orElse(row.bundle());
            return new PluginInfo(row.type(), row.id(), row.bundle(),
                    PluginStatus.error("id " + row.id() + " is also claimed by " + others), row.exports());
        }).toList();
    }

    private static PluginInfo info(Identity identity, PluginStatus status, Map<String, String> exports) {
        return new PluginInfo(identity.type(), identity.id(), identity.bundle(), status, exports);
    }

    /** A plugin that throws while reporting is broken; say so instead of failing the list. */
    private static PluginStatus statusOf(Plugin plugin) {
        try {
            return plugin.status();
        } catch (RuntimeException e) {
            return PluginStatus.error("status check failed: " + e);
        }
    }

    private static Map<String, String> exportsOf(Plugin plugin) {
        try {
            return plugin.exports();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
