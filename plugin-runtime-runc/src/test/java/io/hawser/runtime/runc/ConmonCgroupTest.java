package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.host.MountTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where monitors go, on mount tables of each cgroup layout; the moves themselves on files standing in for cgroupfs. */
class ConmonCgroupTest {

    @TempDir
    Path root;

    private static MountTable.Mount mount(Path point, String type) {
        return new MountTable.Mount(point, type, type);
    }

    @Test
    void hybridJoinsEveryV1HierarchyButCpusetAndTheV2TreeBeside() throws Exception {
        Files.createDirectories(root.resolve("cpuset"));
        Files.writeString(root.resolve("cpuset/cpuset.cpus"), "0-1\n");
        MountTable mounts = new MountTable(List.of(
                mount(root, "tmpfs"),
                mount(root.resolve("memory"), "cgroup"),
                mount(root.resolve("cpuset"), "cgroup"),
                mount(root.resolve("cpu,cpuacct"), "cgroup"),
                mount(root.resolve("unified"), "cgroup2"),
                mount(Path.of("/proc"), "proc")));

        ConmonCgroup cgroup = ConmonCgroup.of("/hawser/conmon", mounts, root);

        assertEquals(List.of(root.resolve("memory/hawser/conmon"), root.resolve("cpu,cpuacct/hawser/conmon"),
                root.resolve("unified/hawser/conmon")), cgroup.directories());
    }

    @Test
    void unifiedJoinsTheOneTree() {
        MountTable mounts = new MountTable(List.of(mount(root, "cgroup2"), mount(Path.of("/sys"), "sysfs")));

        assertEquals(List.of(root.resolve("hawser/conmon")), ConmonCgroup.of("/hawser/conmon", mounts, root).directories());
    }

    @Test
    void noCgroupsOrAnEmptyPathLeaveMonitorsWhereTheDaemonIs() {
        assertTrue(ConmonCgroup.of("/hawser/conmon", new MountTable(List.of(mount(root, "tmpfs"))), root).isNone());
        assertTrue(ConmonCgroup.of("", new MountTable(List.of(mount(root, "cgroup2"))), root).isNone());
    }

    @Test
    void aPathThatIsNotAnAbsoluteCgroupPathIsRefusedNamingIt() {
        MountTable mounts = new MountTable(List.of(mount(root, "cgroup2")));
        for (String path : List.of("hawser/conmon", "/", "/hawser/../conmon", "/../conmon", "/hawser//conmon", "/hawser/./conmon", "/hawser/")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ConmonCgroup.of(path, mounts, root), path);
            assertTrue(error.getMessage().contains("'" + path + "'"), error.getMessage());
        }
    }

    @Test
    void adoptMakesTheCgroupsAndWritesThePidIntoEach() throws Exception {
        MountTable mounts = new MountTable(List.of(mount(root.resolve("memory"), "cgroup"), mount(root.resolve("pids"), "cgroup")));
        ConmonCgroup cgroup = ConmonCgroup.of("/hawser/conmon", mounts, root);
        long pid = ProcessHandle.current().pid();

        cgroup.adopt(pid);

        for (Path directory : cgroup.directories()) {
            assertEquals(Long.toString(pid), Files.readString(directory.resolve("cgroup.procs")));
        }
    }

    @Test
    void aProcessThatEndedFirstIsNotAnError() throws Exception {
        Path memory = Files.createDirectories(root.resolve("memory/hawser/conmon"));
        // a directory where cgroup.procs would be: the write fails as cgroupfs fails for a pid that is gone
        Files.createDirectories(memory.resolve("cgroup.procs"));
        ConmonCgroup cgroup = ConmonCgroup.of("/hawser/conmon", new MountTable(List.of(mount(root.resolve("memory"), "cgroup"))), root);
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();

        cgroup.adopt(ended.pid());
        IOException refused = assertThrows(IOException.class, () -> cgroup.adopt(ProcessHandle.current().pid()));
        assertTrue(refused.getMessage().contains(memory.toString()), refused.getMessage());
    }
}
