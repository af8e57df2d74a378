package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.hawser.host.CgroupMode;
import io.hawser.runtime.Stats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statistics from cgroup files laid out as each version lays them out, in a fake cgroup root. */
class CgroupStatsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path root;

    @Test
    void v1ReadsEachControllersHierarchy() throws IOException {
        files("cpu,cpuacct/hawser/t1", "cpuacct.usage", "123456789\n");
        files("memory/hawser/t1", "memory.usage_in_bytes", "10485760\n", "memory.limit_in_bytes", "67108864\n",
                "memory.stat", "cache 4096\ntotal_inactive_file 1048576\n");
        files("pids/hawser/t1", "pids.current", "3\n");

        Stats stats = CgroupStats.read(CgroupMode.HYBRID, root, List.of(
                "12:pids:/hawser/t1", "4:memory:/hawser/t1", "3:cpu,cpuacct:/hawser/t1", "1:name=systemd:/x", "0::/x"), NOW);

        assertEquals(new Stats(NOW, 123456789, 10485760, 10485760 - 1048576, 64L << 20, 3), stats);
    }

    @Test
    void v1ReportsTheUnlimitedValueAsNoLimit() throws IOException {
        files("cpuacct/c", "cpuacct.usage", "1\n");
        files("memory/c", "memory.usage_in_bytes", "2\n", "memory.limit_in_bytes", "9223372036854771712\n", "memory.stat", "");

        Stats stats = CgroupStats.read(CgroupMode.LEGACY, root, List.of("2:cpuacct:/c", "4:memory:/c"), NOW);

        assertEquals(-1, stats.memoryLimitBytes());
        assertEquals(0, stats.pids(), "no pids controller");
    }

    @Test
    void v2ReadsTheUnifiedDirectory() throws IOException {
        files("hawser/t2", "cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n", "memory.current", "8192000\n",
                "memory.max", "max\n", "memory.stat", "anon 100\ninactive_file 192000\n", "pids.current", "2\n");

        Stats stats = CgroupStats.read(CgroupMode.UNIFIED, root, List.of("0::/hawser/t2"), NOW);

        assertEquals(new Stats(NOW, 2_500_000, 8192000, 8000000, -1, 2), stats);
    }

    @Test
    void aMissingControllerIsNamed() {
        IOException error = assertThrows(IOException.class,
                () -> CgroupStats.read(CgroupMode.LEGACY, root, List.of("4:memory:/c"), NOW));
        assertEquals("the process is in no cpuacct cgroup", error.getMessage());
    }

    /** Writes files into a directory below the fake root: name, content, name, content… */
    private void files(String directory, String... namesAndContents) throws IOException {
        Path dir = Files.createDirectories(root.resolve(directory));
        for (int i = 0; i < namesAndContents.length; i += 2) {
            Files.writeString(dir.resolve(namesAndContents[i]), namesAndContents[i + 1]);
        }
    }
}
