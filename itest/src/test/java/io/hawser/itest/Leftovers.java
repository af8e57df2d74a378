package io.hawser.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.hawser.host.FileTrees;

/**
 * What containers can leave behind on the host, found from the outside: mounts, supervisor
 * processes (conmon and the runtime are started with paths under the daemon's directories), files
 * named after a container, cgroups. Hawser's own JVMs (the daemon and CLI clients) name those
 * directories too and are not counted.
 */
final class Leftovers {

    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private Leftovers() {}

    /** Mount points at or below {@code dir}, from this process's mount table. */
    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toString();
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")[4])
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .toList();
    }

    /** Processes other than Hawser's own JVMs whose command line names a path under {@code dir}: "PID COMMAND LINE". */
    static List<String> processesNaming(Path dir) throws IOException {
        String prefix = dir.toString();
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String commandLine = commandLine(process);
                if (commandLine.contains(prefix) && !commandLine.contains("io.hawser.launcher.")) {
                    found.add(process.getFileName() + " " + commandLine);
                }
            }
        }
        return found;
    }

    /** Files and directories below {@code dir} whose name contains {@code id} (a container id or its prefix). */
    static List<Path> pathsNaming(Path dir, String id) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> p.getFileName().toString().contains(id)).toList();
        } catch (UncheckedIOException e) {
            // a file removed while walking: walk again, the tree is settling
            if (e.getCause() instanceof NoSuchFileException) {
                return pathsNaming(dir, id);
            }
            throw e;
        }
    }

    /** Cgroup directories, in any hierarchy, whose name contains {@code id}. */
    static List<Path> cgroupsNaming(String id) throws IOException {
        try (Stream<Path> paths = Files.walk(CGROUPS, 4)) {
            return paths.filter(p -> Files.isDirectory(p) && p.getFileName().toString().contains(id)).toList();
        }
    }

    /**
     * The last resort after a failed test, so that it leaves nothing running on the host: every
     * container of every runc state directory ({@code --root}) under {@code dir} is deleted by force
     * (killing its processes), every supervisor naming {@code dir} is killed, and everything mounted
     * under {@code dir} is unmounted.
     */
    static void forceRemoveContainers(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> runtimeRoots;
        try (Stream<Path> files = Files.walk(dir, 5)) {
            runtimeRoots = files.filter(f -> f.getFileName().toString().equals("state.json"))
                    .map(f -> f.getParent().getParent()).distinct().toList();
        }
        for (Path root : runtimeRoots) {
            Hawserd.Result list = Hawserd.run(List.of("runc", "--root", root.toString(), "list", "-q"));
            for (String id : list.out().lines().filter(l -> !l.isBlank()).toList()) {
                Hawserd.run(List.of("runc", "--root", root.toString(), "delete", "-f", id));
            }
        }
        for (String process : processesNaming(dir)) {
            ProcessHandle.of(Long.parseLong(process.substring(0, process.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
        List<String> mounts = new ArrayList<>(mountsUnder(dir));
        mounts.sort(Comparator.reverseOrder());
        for (String mount : mounts) {
            Hawserd.run(List.of("umount", "-l", mount));
        }
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            // the process ended while the list was read
            return "";
        }
    }

    /**
     * Removes a test's directory under /tmp once its daemon is gone (a daemon's root holds the
     * images it pulled: hundreds of MiB per test run otherwise left behind). A directory that
     * still has something mounted in it is left, and said so: removing it would reach into the
     * mount.
     */
    static void removeDirectory(Path dir) throws IOException {
        List<String> mounted = mountsUnder(dir);
        if (!mounted.isEmpty()) {
            System.out.println("leaving " + dir + ": still mounted there: " + mounted);
            return;
        }
        FileTrees.delete(dir);
    }
}
