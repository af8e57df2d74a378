package io.hawser.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginRegistry;
import io.hawser.plugin.PluginStatus.State;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Boots Felix with exactly the bundles the distribution ships (its resolved {@code lib/bundles})
 * and checks the plugin registry from inside: every plugin present with an honest status, and
 * plugins leaving and coming back with their bundles while nothing else restarts.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PluginRegistryInFelixTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Inject
    private BundleContext context;

    @Inject
    private PluginRegistry registry;

    @Inject
    private ServiceComponentRuntime componentRuntime;

    @Inject
    private CommandProcessor commandProcessor;

    @Configuration
    public Option[] config() throws IOException {
        Path bundles = Path.of(System.getProperty("hawser.distribution"), "lib", "bundles");
        List<Option> options = new ArrayList<>();
        try (Stream<Path> jars = Files.list(bundles)) {
            jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> options.add(CoreOptions.bundle(j.toUri().toString())));
        }
        if (options.isEmpty()) {
            throw new IOException("no bundles in " + bundles + ": build the distribution first");
        }
        // unix socket paths are limited to 108 bytes: keep the daemon's state out of the deep exam cache
        Path state = Files.createTempDirectory(Path.of("/tmp"), "hawser-itest-");
        Path root = Files.createTempDirectory(Path.of("/tmp"), "hawser-itest-root-");
        // the framework runs in this JVM until it ends: its directories go with it
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path directory : List.of(state, root)) {
                try {
                    Leftovers.removeDirectory(directory);
                } catch (IOException e) {
                    System.out.println("leaving " + directory + ": " + e.getMessage());
                }
            }
        }));
        options.add(frameworkProperty("hawser.state").value(state.toString()));
        options.add(frameworkProperty("hawser.root").value(root.toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(junitBundles());
        return options(options.toArray(Option[]::new));
    }

    @Test
    public void everyPluginIsRegisteredWithAnHonestStatus() {
        Map<String, State> expected = HostExpectations.expectedStates(Path.of(context.getProperty("hawser.root")));
        awaitTrue("all plugins listed", () -> byName().keySet().containsAll(expected.keySet()));
        Map<String, PluginInfo> plugins = byName();
        expected.forEach((name, state) -> {
            PluginInfo plugin = plugins.get(name);
            assertEquals(name + " reports " + plugin.status(), state, plugin.status().state());
            if (state != State.OK) {
                assertFalse(name + " says why it is not ok", plugin.status().reason().isBlank());
            }
        });
        assertTrue("the CLI frontend publishes its socket",
                plugins.get("io.hawser.frontend.v1/cli").exports().get("address").endsWith("/hawser.sock"));
        assertTrue("btrfs names its root",
                plugins.get("io.hawser.snapshotter.v1/btrfs").exports().get("root").endsWith("/io.hawser.snapshotter.btrfs"));
    }

    @Test
    public void stoppingAPluginBundleRemovesItsIdAndStartingItRestoresIt() throws Exception {
        Bundle btrfs = installed("io.hawser.snapshotter.btrfs");
        Bundle kernel = installed("io.hawser.kernel");
        awaitTrue("btrfs listed", () -> byName().containsKey("io.hawser.snapshotter.v1/btrfs"));
        PluginRegistry registryBefore = registry;

        btrfs.stop();
        awaitTrue("btrfs gone after its bundle stopped", () -> !byName().containsKey("io.hawser.snapshotter.v1/btrfs"));
        assertTrue("other plugins stay", byName().containsKey("io.hawser.snapshotter.v1/overlay"));
        assertEquals("the kernel did not restart", Bundle.ACTIVE, kernel.getState());

        btrfs.start();
        awaitTrue("btrfs back after its bundle started", () -> byName().containsKey("io.hawser.snapshotter.v1/btrfs"));
        assertTrue("the same registry instance served throughout", registryBefore == currentRegistry());
    }

    @Test
    public void aPluginComponentThatCannotRunIsListedWithTheReason() throws Exception {
        ComponentDescriptionDTO overlay = componentRuntime.getComponentDescriptionDTOs(installed("io.hawser.snapshotter.overlay"))
                .stream().findFirst().orElseThrow();
        componentRuntime.disableComponent(overlay).getValue();
        awaitTrue("overlay listed as error", () -> Optional.ofNullable(byName().get("io.hawser.snapshotter.v1/overlay"))
                .map(p -> p.status().state() == State.ERROR && p.status().reason().contains("disabled")).orElse(false));

        componentRuntime.enableComponent(overlay).getValue();
        awaitTrue("overlay back to its own status", () -> Optional.ofNullable(byName().get("io.hawser.snapshotter.v1/overlay"))
                .map(p -> p.status().state() != State.ERROR).orElse(false));
    }

    @Test
    public void pluginsIsAGogoCommandInScopeHawser() throws Exception {
        awaitTrue("all plugins listed", () -> byName().size() >= 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandSession session = commandProcessor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            session.execute("hawser:plugins");
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table, table.startsWith("TYPE"));
        for (String id : List.of("cli", "cri", "runc", "kata", "overlay", "btrfs")) {
            assertTrue(table, table.lines().anyMatch(l -> Arrays.asList(l.split("\\s+")).contains(id)));
        }
    }

    private Map<String, PluginInfo> byName() {
        return currentRegistry().plugins().stream().collect(Collectors.toMap(p -> p.type() + "/" + p.id(), p -> p, (a, b) -> a));
    }

    private PluginRegistry currentRegistry() {
        return context.getService(context.getServiceReference(PluginRegistry.class));
    }

    private Bundle installed(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " not installed"));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
