package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.hawser.host.Executables;
import io.hawser.host.KernelFilesystems;
import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@code bin/hawserd} for a whole test class, with the {@link ContainerImages} pushed to a
 * loopback registry and pulled, running containers on the real runc and conmon. After the class,
 * every container left is removed with {@code rm -f} and nothing of any of them may remain: no
 * mount, supervisor process, cgroup or file named after it; the daemon then stops on SIGTERM and
 * its directory is deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContainerFixture {

    private static final AtomicInteger NAMES = new AtomicInteger();

    LocalRegistry registry;
    ContainerImages images;
    Hawserd daemon;

    @BeforeAll
    void startRegistryAndDaemon() throws Exception {
        assumeContainersCanRun();
        registry = LocalRegistry.anonymous();
        images = ContainerImages.push(registry);
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        for (String image : List.of(images.busybox(), images.configured(), images.stopSignal())) {
            Result pull = daemon.hawser("pull", image);
            assertEquals(0, pull.status(), pull.err());
        }
    }

    @AfterAll
    void removeEveryContainerAndCheckNothingIsLeft() throws Exception {
        if (daemon == null) {
            return;
        }
        try {
            List<String> ids = containerIds();
            for (String id : ids) {
                Result rm = daemon.hawser("rm", "-f", id);
                assertEquals(0, rm.status(), "rm -f " + id + ": " + rm.err());
            }
            assertEquals(List.of(), containerIds(), "ps -a after removing every container");
            for (String id : ids) {
                assertNoTraceOf(id);
            }
            assertEquals(List.of(), Leftovers.processesNaming(daemon.work), "supervisor processes left");
            daemon.stop();
            assertEquals(List.of(), Leftovers.mountsUnder(daemon.work), "mounts left after the daemon stopped");
            deleteTree(daemon.work);
        } finally {
            daemon.close();
            registry.close();
            // after a failure above: leave no container running on the host
            Leftovers.forceRemoveContainers(daemon.work);
        }
    }

    /**
     * Skips the class, saying why, on a host that cannot run containers: not root, runc or conmon
     * not installed, no overlayfs.
     */
    static void assumeContainersCanRun() {
        assumeTrue("root".equals(System.getProperty("user.name")), "containers need root; running as " + System.getProperty("user.name"));
        assumeTrue(Executables.find("runc").isPresent(), "runc is not installed: apt-get install runc");
        assumeTrue(Executables.find("conmon").isPresent(), "conmon is not installed: apt-get install conmon");
        assumeTrue(KernelFilesystems.current().supports("overlay"), "the kernel has no overlayfs");
        LocalRegistry.assumeInstalled();
    }

    /** A container name no other test of the run uses. */
    static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** {@code hawser run ARGS}. */
    Result run(String... args) throws Exception {
        return daemon.hawser(prepend("run", args));
    }

    /** {@code hawser run -d --name NAME ARGS}, which must succeed; returns the id it prints. */
    String runDetached(String name, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("run", "-d", "--name", name));
        command.addAll(List.of(args));
        Result run = daemon.hawser(command.toArray(String[]::new));
        assertEquals(0, run.status(), "run -d --name " + name + " " + String.join(" ", args) + ": " + run.err());
        String id = run.out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), "run -d prints the container id: " + run.out());
        return id;
    }

    /** The rows of {@code ps -a}, without the header. */
    List<String> psRows() throws Exception {
        Result ps = daemon.hawser("ps", "-a");
        assertEquals(0, ps.status(), ps.err());
        return ps.out().lines().skip(1).filter(l -> !l.isBlank()).toList();
    }

    /** The {@code ps -a} row of the container named {@code name}: the row whose last column is the name. */
    Optional<String> psRow(String name) throws Exception {
        return psRows().stream().filter(row -> lastColumn(row).equals(name)).findFirst();
    }

    /** The ids (as {@code ps -a} shows them, maybe shortened) of every container. */
    List<String> containerIds() throws Exception {
        return psRows().stream().map(row -> row.split("\\s+")[0]).toList();
    }

    /** The names of every container. */
    List<String> containerNames() throws Exception {
        return psRows().stream().map(ContainerFixture::lastColumn).toList();
    }

    /**
     * The STATUS column of the container's {@code ps -a} row ({@code Up 5 seconds},
     * {@code Exited (0) 3 seconds ago}, as docker words it); columns are two or more spaces apart.
     */
    Optional<String> status(String name) throws Exception {
        return psRow(name).map(row -> {
            String[] columns = row.strip().split("\\s{2,}");
            return columns[columns.length - 2];
        });
    }

    /** Waits until the container's status matches {@code regex} (case-insensitive, anywhere in it). */
    void awaitStatus(String name, String regex) throws Exception {
        Hawserd.awaitTrue(name + " shown by ps -a as /" + regex + "/; ps -a:\n" + String.join("\n", psRows()),
                () -> status(name).map(s -> s.matches("(?i).*(" + regex + ").*")).orElse(false));
    }

    /** Waits until {@code hawser logs NAME} prints {@code text}, on stdout or stderr. */
    void awaitLogs(String name, String text) throws Exception {
        Hawserd.awaitTrue("\"" + text + "\" in the logs of " + name, () -> {
            Result logs = daemon.hawser("logs", name);
            return logs.out().contains(text) || logs.err().contains(text);
        });
    }

    /**
     * Fails when anything of the container {@code id} (or an id starting with it) is left: a file
     * or directory under the daemon's root or state named after it, a cgroup, a mount under the
     * daemon's directories.
     */
    void assertNoTraceOf(String id) throws IOException {
        assertEquals(List.of(), Leftovers.pathsNaming(daemon.root, id), "files of " + id + " left under the root");
        assertEquals(List.of(), Leftovers.pathsNaming(daemon.state, id), "files of " + id + " left under the state");
        assertEquals(List.of(), Leftovers.cgroupsNaming(id), "cgroups of " + id + " left");
        assertEquals(List.of(), Leftovers.mountsUnder(daemon.work).stream().filter(m -> m.contains(id)).toList(),
                "mounts of " + id + " left");
    }

    /** The pids of the processes in the container's cgroups, in ascending order; none once it ended. */
    static List<Long> containerPids(String id) throws IOException {
        List<Long> pids = new ArrayList<>();
        for (Path cgroup : Leftovers.cgroupsNaming(id)) {
            Path procs = cgroup.resolve("cgroup.procs");
            if (Files.exists(procs)) {
                try (Stream<String> lines = Files.lines(procs)) {
                    lines.map(Long::valueOf).filter(pid -> !pids.contains(pid)).forEach(pids::add);
                }
            }
        }
        pids.sort(null);
        return pids;
    }

    /**
     * Creates an empty file in a running container's root filesystem from the host, through
     * {@code /proc/PID/root}: a signal to the container's process that needs neither exec nor the
     * daemon.
     */
    static void createFileIn(String id, String absolutePath) throws IOException {
        long pid = containerPids(id).getFirst();
        Files.writeString(Path.of("/proc/" + pid + "/root" + absolutePath), "");
    }

    /**
     * What a failed attempt could leave behind, taken before and after it: container records,
     * active snapshots, mounts under the daemon's directories and supervisor processes.
     */
    record Traces(List<String> containers, List<String> activeSnapshots, List<String> mounts, List<String> processes) {}

    Traces traces() throws Exception {
        Result snapshots = daemon.hawser("snapshots", "ls");
        assertEquals(0, snapshots.status(), snapshots.err());
        return new Traces(containerNames(), snapshots.out().lines().filter(l -> l.endsWith("active")).toList(),
                Leftovers.mountsUnder(daemon.work), Leftovers.processesNaming(daemon.work));
    }

    /** Writes {@code keys} to a process's stdin, as typing them would. */
    static void type(Process process, String keys) throws IOException {
        process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** A command line for sh, each word single-quoted. */
    static String shellWords(List<String> words) {
        return String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
    }

    static String lastColumn(String row) {
        String[] columns = row.strip().split("\\s+");
        return columns[columns.length - 1];
    }

    static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
