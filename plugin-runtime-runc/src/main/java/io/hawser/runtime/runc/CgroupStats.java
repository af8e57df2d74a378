package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hawser.errors.HawserException;
import io.hawser.host.CgroupMode;
import io.hawser.host.MountTable;
import io.hawser.runtime.Stats;

/**
 * Reads a task's resource use from its cgroup files, found through {@code /proc/PID/cgroup} of its
 * init process. cgroup v1 (also in hybrid mode, whose v2 tree holds no controllers) keeps each
 * controller in its own hierarchy; v2 keeps them all in one directory with other file names.
 */
final class CgroupStats {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    /** The key of the unified hierarchy among the v1 controllers' names. */
    private static final String V2 = "";
    /** cgroup v1 reports "no limit" as the largest page-aligned long; anything this high is none. */
    private static final long V1_UNLIMITED = Long.MAX_VALUE / 2;

    private CgroupStats() {}

    static Stats of(long pid) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        } catch (NoSuchFileException e) {
            throw HawserException.failedPrecondition("process " + pid + " has exited; it has no cgroup to measure");
        }
        return read(CgroupMode.of(MountTable.current()), CGROUP_ROOT, lines, Instant.now());
    }

    /**
     * Reads the statistics of the cgroups a process is in.
     *
     * @param mode         how the host mounts cgroups
     * @param root         where they are mounted, {@code /sys/fs/cgroup}
     * @param procCgroup   the lines of the process's {@code /proc/PID/cgroup},
     *                     {@code hierarchy-id:controllers:path}
     */
    static Stats read(CgroupMode mode, Path root, List<String> procCgroup, Instant now) throws IOException {
        Map<String, Path> dirs = new HashMap<>();
        for (String line : procCgroup) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                continue;
            }
            String relative = parts[2].startsWith("/") ? parts[2].substring(1) : parts[2];
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                dirs.put(V2, root.resolve(relative));
            } else {
                // v1 mounts a hierarchy of several controllers once, named by all of them (cpu,cpuacct)
                for (String controller : parts[1].split(",")) {
                    dirs.put(controller, root.resolve(parts[1]).resolve(relative));
                }
            }
        }
        return mode == CgroupMode.UNIFIED ? v2(now, dir(dirs, V2)) : v1(now, dirs);
    }

    private static Stats v1(Instant now, Map<String, Path> paths) throws IOException {
        long cpu = number(dir(paths, "cpuacct").resolve("cpuacct.usage"));
        Path memory = dir(paths, "memory");
        long usage = number(memory.resolve("memory.usage_in_bytes"));
        long limit = number(memory.resolve("memory.limit_in_bytes"));
        long inactiveFile = statField(memory.resolve("memory.stat"), "total_inactive_file");
        long pids = paths.containsKey("pids") ? number(dir(paths, "pids").resolve("pids.current")) : 0;
        return new Stats(now, cpu, usage, Math.max(0, usage - inactiveFile), limit >= V1_UNLIMITED ? -1 : limit, pids);
    }

    private static Stats v2(Instant now, Path cgroup) throws IOException {
        long cpu = statField(cgroup.resolve("cpu.stat"), "usage_usec") * 1000;
        long usage = number(cgroup.resolve("memory.current"));
        String max = Files.readString(cgroup.resolve("memory.max")).strip();
        long inactiveFile = statField(cgroup.resolve("memory.stat"), "inactive_file");
        long pids = number(cgroup.resolve("pids.current"));
        return new Stats(now, cpu, usage, Math.max(0, usage - inactiveFile), max.equals("max") ? -1 : Long.parseLong(max), pids);
    }

    /** The directory of a controller, or with {@link #V2} of the unified hierarchy. */
    private static Path dir(Map<String, Path> dirs, String controller) throws IOException {
        Path dir = dirs.get(controller);
        if (dir == null) {
            throw new IOException("the process is in no " + (controller.equals(V2) ? "cgroup v2" : controller + " cgroup"));
        }
        return dir;
    }

    private static long number(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    /** A value from a {@code key value} per line file such as {@code memory.stat}; 0 when absent. */
    private static long statField(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).equals(key)) {
                return Long.parseLong(line.substring(space + 1).strip());
            }
        }
        return 0;
    }
}
