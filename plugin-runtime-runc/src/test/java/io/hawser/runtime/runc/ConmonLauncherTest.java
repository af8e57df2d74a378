package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.hawser.host.Executables;
import io.hawser.runtime.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers on real runc under real conmon, in a busybox rootfs built by the test. */
class ConmonLauncherTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
    private static final String CGROUP_PARENT = "hawser-test";
    private static final String MONITOR_CGROUP = "/" + CGROUP_PARENT + "/conmon";

    @TempDir
    Path temp;

    private RuncCommand runc;
    private ConmonLauncher launcher;
    private final List<ConmonContainer> launched = new ArrayList<>();

    @BeforeEach
    void requireRootRuncAndConmon() throws IOException {
        Optional<Path> runcBinary = Executables.find("runc");
        Optional<Path> conmonBinary = Executables.find("conmon");
        Optional<Path> busybox = Executables.find("busybox");
        String missing = Stream.of(
                        "root".equals(System.getProperty("user.name")) ? null : "not root",
                        runcBinary.isEmpty() ? "runc missing" : null,
                        conmonBinary.isEmpty() ? "conmon missing" : null,
                        busybox.isEmpty() ? "busybox missing" : null)
                .filter(reason -> reason != null)
                .collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            System.out.println("ConmonLauncherTest skipped: " + missing);
        }
        assumeTrue(missing.isEmpty(), missing);
        runc = new RuncCommand(runcBinary.orElseThrow(), temp.resolve("runc-root"), TIMEOUT);
        launcher = new ConmonLauncher(conmonBinary.orElseThrow(), runc, ConmonCgroup.of(MONITOR_CGROUP), TIMEOUT);
        Path rootfs = Files.createDirectories(temp.resolve("rootfs/bin"));
        Files.copy(busybox.orElseThrow(), rootfs.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "cat", "sleep", "true", "false")) {
            Files.createSymbolicLink(rootfs.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(temp.resolve("rootfs/proc"));
        Files.createDirectories(temp.resolve("rootfs/dev"));
    }

    @AfterEach
    void removeContainers() throws Exception {
        if (runc == null) {
            return;
        }
        for (ConmonContainer container : launched) {
            if (runc.list().contains(container.id())) {
                launcher.delete(container, true);
            }
        }
        try (Stream<Path> controllers = Files.list(CGROUPS)) {
            for (Path parent : controllers.map(controller -> controller.resolve(CGROUP_PARENT)).toList()) {
                // the monitors' cgroup is empty once their containers are deleted
                Files.deleteIfExists(parent.resolve("conmon"));
                Files.deleteIfExists(parent);
            }
        }
    }

    @Test
    void echoIsLoggedInCriFormatAndExitsZero() throws Exception {
        ConmonContainer container = run("echo", "hi");
        assertEquals(0, container.awaitExit(TIMEOUT).code());
        String log = Files.readString(logOf(container));
        assertTrue(log.matches("\\S+ stdout F hi\\n"), log);
    }

    @Test
    void exitCodeComesThroughTheExitFile() throws Exception {
        assertEquals(3, run("sh", "-c", "exit 3").awaitExit(TIMEOUT).code());
    }

    @Test
    void namespaceInitIgnoresSigtermAndSigkillEndsItWith137() throws Exception {
        ConmonContainer container = run("sleep", "60");
        assertEquals(new RuncState("running", (int) container.containerPid()), launcher.state(container));

        launcher.kill(container, Signals.SIGTERM, false);
        // pid 1 of a pid namespace gets only signals it handles; sleep handles none
        assertThrows(IOException.class, () -> container.awaitExit(Duration.ofMillis(300)));

        launcher.kill(container, Signals.SIGKILL, true);
        assertEquals(128 + Signals.SIGKILL, container.awaitExit(TIMEOUT).code());
        assertEquals("stopped", launcher.state(container).status());

        launcher.delete(container, false);
        assertFalse(ProcessExit.running(container.conmonPid()), "conmon still runs");
        assertEquals(List.of(), runc.list());
        assertFalse(Files.exists(container.stateDir()));
        try (Stream<Path> controllers = Files.list(CGROUPS)) {
            controllers.map(controller -> controller.resolve(CGROUP_PARENT).resolve(container.id()))
                    .forEach(cgroup -> assertFalse(Files.exists(cgroup), cgroup + " left behind"));
        }
    }

    @Test
    void theMonitorIsMovedIntoItsCgroupInEveryHierarchyButCpuset() throws Exception {
        ConmonContainer container = run("sleep", "60");
        String conmonPid = Long.toString(container.conmonPid());
        List<Path> directories = ConmonCgroup.of(MONITOR_CGROUP).directories();
        assertFalse(directories.isEmpty(), "no cgroup hierarchy under " + CGROUPS);
        for (Path directory : directories) {
            assertTrue(Files.readAllLines(directory.resolve("cgroup.procs")).contains(conmonPid),
                    "conmon " + conmonPid + " is not in " + directory);
        }
        // a new v1 cpuset cgroup has no CPUs to run on until they are copied into it
        assertFalse(Files.exists(CGROUPS.resolve("cpuset").resolve(CGROUP_PARENT).resolve("conmon")));
    }

    @Test
    void conmonOutlivesTheJvmThatStartedIt() throws Exception {
        ConmonContainer container = run("sleep", "60");
        ProcessHandle conmon = ProcessHandle.of(container.conmonPid()).orElseThrow();
        long parent = conmon.parent().map(ProcessHandle::pid).orElse(0L);
        assertNotEquals(ProcessHandle.current().pid(), parent, "conmon is a child of the JVM");
        assertTrue(ProcessHandle.current().descendants().noneMatch(process -> process.pid() == conmon.pid()),
                "conmon is a descendant of the JVM");
        assertEquals(List.of(), conmonChildren(), "conmon's first process, the JVM's child, is not reaped");
    }

    @Test
    void aConmonThatFailsBeforeForkingIsNamedWithItsStatusAndErrors() throws Exception {
        Path failing = temp.resolve("conmon-with-a-bad-flag");
        Files.writeString(failing, "#!/bin/sh\nexec " + Executables.find("conmon").orElseThrow() + " --no-such-flag \"$@\"\n");
        failing.toFile().setExecutable(true);
        launcher = new ConmonLauncher(failing, runc, ConmonCgroup.of(MONITOR_CGROUP), TIMEOUT);
        String id = idFor();

        IOException error = assertThrows(IOException.class, () -> launch(id, false, "true"));

        assertTrue(error.getMessage().startsWith("conmon exited without reporting on container " + id + ": "), error.getMessage());
        assertTrue(error.getMessage().contains("--no-such-flag"), error.getMessage());
        assertTrue(error.getMessage().endsWith("\nconmon exited with status 1"), error.getMessage());
        assertFalse(Files.exists(temp.resolve("state").resolve(id)), "state directory left behind");
        assertEquals(List.of(), conmonChildren(), "the failed conmon is not reaped");
    }

    @Test
    void aCommandMissingFromTheImageIsNamedAndLeavesNothing() throws Exception {
        IOException error = assertThrows(IOException.class, () -> launch(idFor(), false, "no-such-command"));
        assertTrue(error.getMessage().contains("\"no-such-command\": executable file not found"), error.getMessage());
        assertEquals(List.of(), runc.list());
        assertFalse(Files.exists(temp.resolve("state")) && Files.list(temp.resolve("state")).findAny().isPresent(),
                "state directory left behind");
    }

    @Test
    void missingBinariesAreNamed() {
        Path nowhere = temp.resolve("no-such-runc");
        IOException error = assertThrows(IOException.class, () -> new RuncCommand(nowhere, temp, TIMEOUT));
        assertTrue(error.getMessage().contains(nowhere.toString()), error.getMessage());
        error = assertThrows(IOException.class, () -> new ConmonLauncher(temp.resolve("no-such-conmon"), runc, ConmonCgroup.none(), TIMEOUT));
        assertTrue(error.getMessage().contains("no-such-conmon"), error.getMessage());
    }

    private ConmonContainer run(String... args) throws Exception {
        ConmonContainer container = launch(idFor(), false, args);
        launcher.start(container);
        return container;
    }

    private ConmonContainer launch(String id, boolean terminal, String... args) throws Exception {
        Path bundle = Files.createDirectories(temp.resolve("bundles").resolve(id));
        // every container shares one read-only rootfs, named by absolute path (runc refuses a symlink)
        Files.writeString(bundle.resolve("config.json"), config(id, temp.resolve("rootfs"), terminal, args));
        Path stateDir = temp.resolve("state").resolve(id);
        ConmonContainer container = launcher.launch(new ConmonLaunch(id, bundle, stateDir,
                new ConmonLaunch.Streams(temp.resolve(id + ".log"), terminal, false, false), null), false).container();
        launched.add(container);
        return container;
    }

    /** The JVM's children that are or were conmon, zombies included. */
    private static List<Long> conmonChildren() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).filter(pid -> {
            try {
                return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip().equals("conmon");
            } catch (IOException gone) {
                return false;
            }
        }).toList();
    }

    private Path logOf(ConmonContainer container) {
        return temp.resolve(container.id() + ".log");
    }

    private static String idFor() {
        return "hawser-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String config(String id, Path rootfs, boolean terminal, String... args) {
        String argv = Stream.of(args).map(arg -> '"' + arg + '"').collect(Collectors.joining(","));
        return """
                {"ociVersion": "1.0.2",
                 "process": {"terminal": %s, "user": {"uid": 0, "gid": 0}, "args": [%s],
                             "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true},
                 "root": {"path": "%s", "readonly": true},
                 "hostname": "%s",
                 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}],
                 "linux": {"cgroupsPath": "/%s/%s",
                           "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}}
                """.formatted(terminal, argv, rootfs, id, CGROUP_PARENT, id);
    }
}
