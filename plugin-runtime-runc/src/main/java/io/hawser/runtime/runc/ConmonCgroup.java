package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.hawser.host.MountTable;

/**
 * The cgroup every conmon monitor is moved into once it has forked (the plugin's
 * {@code conmonCgroup}, default {@code /hawser/conmon}), as CRI-O's {@code conmon_cgroup} and
 * Podman's {@code /libpod_parent/conmon} do: the monitors' memory, CPU and pids are counted apart
 * from the daemon's, and a service manager that stops the daemon's cgroup does not take the
 * monitors, and with them the containers, along. The cgroup is joined in every hierarchy mounted
 * under {@code /sys/fs/cgroup} (cgroup v2 alone; or each v1 hierarchy and, in hybrid mode, the v2
 * tree beside them) except v1's cpuset, whose new cgroups have no CPUs or memory nodes until they
 * are copied from their parent: a monitor needs no pinning.
 *
 * <p>The move also shortens every container start. Attaching a process to a cgroup takes the
 * kernel's {@code cgroup_threadgroup_rwsem} for writing, and a writer that follows no recent one
 * waits out an RCU grace period first: 7–23 ms inside {@code runc create} on these machines (its
 * attach of the container's process), a third of its time. Moving the monitor while runc is still
 * starting begins that grace period early, so runc's own attach moments later finds it (nearly)
 * over: {@code runc create} alone went from a median of 35.7 to 28.7 ms with a cgroup write started
 * beside it. See bench/README.md ("run").
 */
final class ConmonCgroup {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final ConmonCgroup NONE = new ConmonCgroup("", List.of());

    private final String path;
    private final List<Path> directories;

    private ConmonCgroup(String path, List<Path> directories) {
        this.path = path;
        this.directories = directories;
    }

    /** Monitors stay in the daemon's cgroup. */
    static ConmonCgroup none() {
        return NONE;
    }

    /** The cgroup {@code path} in the hierarchies of the host's {@code /sys/fs/cgroup}; see {@link #of(String, MountTable, Path)}. */
    static ConmonCgroup of(String path) {
        return of(path, MountTable.current(), CGROUP_ROOT);
    }

    /**
     * The cgroup {@code path} in every hierarchy of {@code mounts} at or under {@code root} but v1's
     * cpuset (a hierarchy whose top has {@code cpuset.cpus}).
     *
     * @param path an absolute cgroup path such as {@code /hawser/conmon}; empty for {@link #none()}
     * @throws IllegalArgumentException when the path is not absolute, is the root, or has
     *                                  {@code .}, {@code ..} or empty segments
     */
    static ConmonCgroup of(String path, MountTable mounts, Path root) {
        if (path.isEmpty()) {
            return NONE;
        }
        String relative = path.startsWith("/") ? path.substring(1) : "";
        // normalizing drops ".", "..", empty and trailing segments, but keeps a leading ".."
        if (relative.isEmpty() || !Path.of(relative).normalize().toString().equals(relative) || relative.startsWith("..")) {
            throw new IllegalArgumentException("conmonCgroup must be an absolute cgroup path below the root, such as"
                    + " /hawser/conmon, or empty; not '" + path + "'");
        }
        Set<Path> directories = new LinkedHashSet<>();
        for (MountTable.Mount mount : mounts.mounts()) {
            Path point = mount.mountPoint();
            boolean v2 = mount.fsType().equals("cgroup2") && point.startsWith(root);
            boolean v1 = mount.fsType().equals("cgroup") && point.startsWith(root) && !point.equals(root)
                    && !Files.exists(point.resolve("cpuset.cpus"));
            if (v2 || v1) {
                directories.add(point.resolve(relative));
            }
        }
        return new ConmonCgroup(path, List.copyOf(directories));
    }

    /** Whether monitors stay in the daemon's cgroup. */
    boolean isNone() {
        return directories.isEmpty();
    }

    /** The cgroup path as configured; empty for {@link #none()}. */
    String path() {
        return path;
    }

    /** The cgroup's directory in each hierarchy it is joined in. */
    List<Path> directories() {
        return directories;
    }

    /**
     * Moves a process into the cgroup in every hierarchy, making the directories first; one that
     * has ended meanwhile is left alone. Blocks for the kernel's grace period (see the class comment).
     *
     * @throws IOException naming the hierarchy that refused a running process
     */
    void adopt(long pid) throws IOException {
        for (Path directory : directories) {
            Files.createDirectories(directory);
            try {
                Files.writeString(directory.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                if (!ProcessExit.running(pid)) {
                    return;
                }
                throw new IOException("cannot move conmon (pid " + pid + ") into " + directory + ": " + e.getMessage(), e);
            }
        }
    }
}
