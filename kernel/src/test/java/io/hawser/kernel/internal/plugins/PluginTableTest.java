package io.hawser.kernel.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.Test;

class PluginTableTest {

    private static final String SNAPSHOTTER = "io.hawser.snapshotter.v1";
    private static final String RUNTIME = "io.hawser.runtime.v1";

    private final PluginTable table = new PluginTable();

    private static PluginTable.Identity identity(String type, String id, String bundle) {
        return new PluginTable.Identity(type, id, bundle);
    }

    private static Plugin plugin(PluginStatus status) {
        return () -> status;
    }

    @Test
    void registeredPluginIsListedWithTheStatusItReportsNow() {
        AtomicReference<PluginStatus> status = new AtomicReference<>(PluginStatus.OK);
        table.add("ref-1", identity(SNAPSHOTTER, "overlay", "io.hawser.snapshotter.overlay 0.1.0"), status::get);

        List<PluginInfo> first = table.plugins(List.of());
        status.set(PluginStatus.error("the kernel has no overlay filesystem"));
        List<PluginInfo> second = table.plugins(List.of());

        assertEquals(1, first.size());
        PluginInfo row = first.getFirst();
        assertEquals(SNAPSHOTTER, row.type());
        assertEquals("overlay", row.id());
        assertEquals("io.hawser.snapshotter.overlay 0.1.0", row.bundle());
        assertEquals(PluginStatus.OK, row.status());
        assertEquals(PluginStatus.error("the kernel has no overlay filesystem"), second.getFirst().status());
    }

    @Test
    void declaredComponentWithAProblemAndNoRegistrationIsListedAsErrorWithTheReason() {
        var declared = new PluginTable.Declared(identity(RUNTIME, "runc", "io.hawser.runtime.runc 0.1.0"),
                Optional.of("waiting for configuration io.hawser.runtime.runc"));

        List<PluginInfo> rows = table.plugins(List.of(declared));

        assertEquals(1, rows.size());
        assertEquals("runc", rows.getFirst().id());
        assertEquals(PluginStatus.error("waiting for configuration io.hawser.runtime.runc"), rows.getFirst().status());
        assertEquals(Map.of(), rows.getFirst().exports());
    }

    @Test
    void declaredComponentWithoutProblemOrRegistrationIsListedAsStarting() {
        var declared = new PluginTable.Declared(identity(RUNTIME, "runc", "io.hawser.runtime.runc 0.1.0"), Optional.empty());

        List<PluginInfo> rows = table.plugins(List.of(declared));

        assertEquals(PluginStatus.error("component is starting"), rows.getFirst().status());
    }

    @Test
    void declaredComponentWithARegistrationIsListedOnceWithTheLiveStatus() {
        var who = identity(RUNTIME, "runc", "io.hawser.runtime.runc 0.1.0");
        table.add("ref-1", who, plugin(PluginStatus.notImplemented("tasks are not implemented yet")));

        List<PluginInfo> rows = table.plugins(List.of(new PluginTable.Declared(who, Optional.empty())));

        assertEquals(1, rows.size());
        assertEquals(State.NOT_IMPLEMENTED, rows.getFirst().status().state());
    }

    @Test
    void removedRegistrationMakesTheIdDisappear() {
        table.add("ref-1", identity(RUNTIME, "runc", "b 1"), plugin(PluginStatus.OK));
        table.add("ref-2", identity(RUNTIME, "kata", "c 1"), plugin(PluginStatus.OK));

        table.remove("ref-1");

        assertEquals(List.of("kata"), table.plugins(List.of()).stream().map(PluginInfo::id).toList());
    }

    @Test
    void rowsAreSortedByTypeThenId() {
        table.add(1, identity(SNAPSHOTTER, "overlay", "b 1"), plugin(PluginStatus.OK));
        table.add(2, identity(RUNTIME, "runc", "b 1"), plugin(PluginStatus.OK));
        table.add(3, identity(SNAPSHOTTER, "btrfs", "b 1"), plugin(PluginStatus.OK));
        var declared = new PluginTable.Declared(identity(RUNTIME, "kata", "b 1"), Optional.of("disabled"));

        List<String> order = table.plugins(List.of(declared)).stream().map(p -> p.type() + "/" + p.id()).toList();

        assertEquals(List.of(RUNTIME + "/kata", RUNTIME + "/runc", SNAPSHOTTER + "/btrfs", SNAPSHOTTER + "/overlay"), order);
    }

    @Test
    void pluginWhoseStatusThrowsIsListedAsErrorNamingTheException() {
        table.add("ref-1", identity(RUNTIME, "runc", "b 1"), () -> {
            throw new IllegalStateException("boom");
        });
        table.add("ref-2", identity(RUNTIME, "kata", "b 1"), plugin(PluginStatus.OK));

        List<PluginInfo> rows = table.plugins(List.of());

        PluginInfo runc = rows.stream().filter(p -> p.id().equals("runc")).findFirst().orElseThrow();
        assertEquals(State.ERROR, runc.status().state());
        assertTrue(runc.status().reason().contains("java.lang.IllegalStateException: boom"), runc.status().reason());
        assertEquals(PluginStatus.OK, rows.stream().filter(p -> p.id().equals("kata")).findFirst().orElseThrow().status());
    }

    @Test
    void twoPluginsClaimingTheSameTypeAndIdAreBothErrorsNamingTheOtherBundle() {
        table.add("ref-1", identity(RUNTIME, "runc", "io.hawser.runtime.runc 0.1.0"), plugin(PluginStatus.OK));
        table.add("ref-2", identity(RUNTIME, "runc", "com.example.runc 2.0.0"), plugin(PluginStatus.OK));
        table.add("ref-3", identity(SNAPSHOTTER, "runc", "io.hawser.other 1"), plugin(PluginStatus.OK));

        List<PluginInfo> rows = table.plugins(List.of());

        assertEquals(3, rows.size());
        PluginInfo ours = rows.stream().filter(p -> p.bundle().startsWith("io.hawser.runtime.runc")).findFirst().orElseThrow();
        PluginInfo theirs = rows.stream().filter(p -> p.bundle().startsWith("com.example.runc")).findFirst().orElseThrow();
        assertEquals(PluginStatus.error("id runc is also claimed by com.example.runc 2.0.0"), ours.status());
        assertEquals(PluginStatus.error("id runc is also claimed by io.hawser.runtime.runc 0.1.0"), theirs.status());
        // the same id under another type is no clash
        PluginInfo otherType = rows.stream().filter(p -> p.type().equals(SNAPSHOTTER)).findFirst().orElseThrow();
        assertEquals(PluginStatus.OK, otherType.status());
    }

    @Test
    void declaredComponentOfAnotherBundleClashesWithARegisteredPlugin() {
        table.add("ref-1", identity(RUNTIME, "runc", "io.hawser.runtime.runc 0.1.0"), plugin(PluginStatus.OK));
        var declared = new PluginTable.Declared(identity(RUNTIME, "runc", "com.example.runc 2.0.0"), Optional.of("disabled"));

        List<PluginInfo> rows = table.plugins(List.of(declared));

        assertEquals(2, rows.size());
        assertTrue(rows.stream().allMatch(p -> p.status().state() == State.ERROR));
        assertTrue(rows.stream().anyMatch(p -> p.status().reason().equals("id runc is also claimed by com.example.runc 2.0.0")));
    }

    @Test
    void exportsAreCopiedFromThePlugin() {
        Map<String, String> exports = new HashMap<>(Map.of("root", "/var/lib/hawser/io.hawser.snapshotter.overlay"));
        table.add("ref-1", identity(SNAPSHOTTER, "overlay", "b 1"), new Plugin() {
            @Override
            public PluginStatus status() {
                return PluginStatus.OK;
            }

            @Override
            public Map<String, String> exports() {
                return exports;
            }
        });

        PluginInfo row = table.plugins(List.of()).getFirst();
        exports.put("root", "/elsewhere");

        assertEquals(Map.of("root", "/var/lib/hawser/io.hawser.snapshotter.overlay"), row.exports());
    }

    @Test
    void pluginWhoseExportsThrowIsListedWithoutExports() {
        table.add("ref-1", identity(SNAPSHOTTER, "overlay", "b 1"), new Plugin() {
            @Override
            public PluginStatus status() {
                return PluginStatus.OK;
            }

            @Override
            public Map<String, String> exports() {
                throw new IllegalStateException("boom");
            }
        });

        PluginInfo row = table.plugins(List.of()).getFirst();

        assertEquals(PluginStatus.OK, row.status());
        assertEquals(Map.of(), row.exports());
    }
}
