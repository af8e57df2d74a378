package io.hawser.snapshotter.btrfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import io.hawser.host.MountTable;
import io.hawser.plugin.FixedDaemon;
import io.hawser.plugin.PluginStatus;
import io.hawser.snapshots.Snapshotter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class BtrfsSnapshotterPluginTest {

    @RegisterExtension
    final BtrfsRootExtension btrfs = new BtrfsRootExtension();

    /** The services registered through {@link #context} and not yet unregistered. */
    private final List<Registered> registered = new ArrayList<>();

    private record Registered(Object service, Dictionary<String, ?> properties) {}

    /** Records registrations; the plugin calls nothing else on its bundle context. */
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, arguments) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                @SuppressWarnings("unchecked")
                Registered registration = new Registered(arguments[1], (Dictionary<String, ?>) arguments[2]);
                registered.add(registration);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                        (r, m, a) -> m.getName().equals("unregister") && registered.remove(registration) ? null : unsupported(m.getName()));
            });

    @Test
    void onBtrfsItServesASnapshotterWithItsIdUntilDeactivated(@TempDir Path elsewhere) throws IOException {
        BtrfsSnapshotterPlugin plugin = new BtrfsSnapshotterPlugin(context, daemon(elsewhere), config(btrfs.root()));

        assertEquals(PluginStatus.OK, plugin.status());
        assertEquals(1, registered.size());
        Snapshotter snapshotter = assertInstanceOf(Snapshotter.class, registered.getFirst().service());
        assertEquals("btrfs", registered.getFirst().properties().get(Snapshotter.SNAPSHOTTER_PROPERTY));
        snapshotter.prepare("k", "", Map.of());
        assertEquals(Map.of("root", btrfs.root().toString()), plugin.exports());

        plugin.deactivate();

        assertEquals(List.of(), registered);
    }

    @Test
    void elsewhereItRegistersNothingAndSaysWhy(@TempDir Path elsewhere) throws IOException {
        assumeTrue(BtrfsSupport.problem(elsewhere, MountTable.current()).isPresent(), "the temporary directory is on btrfs itself");
        Path root = elsewhere.resolve("snapshots");
        BtrfsSnapshotterPlugin plugin = new BtrfsSnapshotterPlugin(context, daemon(elsewhere), config(root));

        assertEquals(List.of(), registered);
        PluginStatus status = plugin.status();
        assertEquals(PluginStatus.State.ERROR, status.state());
        assertTrue(status.reason().contains("not btrfs"), status.reason());
        assertTrue(Files.notExists(root), "nothing created outside btrfs");
        plugin.deactivate();
    }

    private static FixedDaemon daemon(Path directory) {
        return new FixedDaemon(directory.resolve("root"), directory.resolve("state"), directory.resolve("config"));
    }

    private static BtrfsSnapshotterPlugin.Config config(Path root) {
        return new BtrfsSnapshotterPlugin.Config() {
            @Override
            public String root() {
                return root.toString();
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return BtrfsSnapshotterPlugin.Config.class;
            }
        };
    }

    private static Object unsupported(String method) {
        throw new UnsupportedOperationException(method);
    }
}
