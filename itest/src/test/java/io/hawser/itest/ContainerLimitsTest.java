package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.Test;

/**
 * Resource limits reach the container's cgroup and hold: a process over the memory limit is killed
 * by the kernel and {@code hawser events} reports the OOM kill, a container cannot fork beyond its
 * pids limit, and the CPU quota is set.
 */
class ContainerLimitsTest extends ContainerFixture {

    @Test
    void limitsAreWrittenToTheContainersCgroups() throws Exception {
        String name = uniqueName("limits");
        String id = runDetached(name, "--memory", "32m", "--pids-limit", "5", "--cpus", "0.5", images.busybox(), "sleep", "1000");
        List<Path> cgroups = Leftovers.cgroupsNaming(id);
        Optional<Path> v1Memory = cgroups.stream().filter(c -> Files.exists(c.resolve("memory.limit_in_bytes"))).findFirst();
        if (v1Memory.isPresent()) {
            assertEquals("33554432", read(v1Memory.get(), "memory.limit_in_bytes"));
            Path cpu = cgroups.stream().filter(c -> Files.exists(c.resolve("cpu.cfs_quota_us"))).findFirst().orElseThrow();
            assertEquals("50000", read(cpu, "cpu.cfs_quota_us"));
            assertEquals("100000", read(cpu, "cpu.cfs_period_us"));
        } else {
            Path unified = cgroups.stream().filter(c -> Files.exists(c.resolve("memory.max"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no memory cgroup for " + id + " among " + cgroups));
            assertEquals("33554432", read(unified, "memory.max"));
            assertEquals("50000 100000", read(unified, "cpu.max"));
        }
        Path pids = cgroups.stream().filter(c -> Files.exists(c.resolve("pids.max"))).findFirst().orElseThrow();
        assertEquals("5", read(pids, "pids.max"));
    }

    @Test
    void aContainerOverItsMemoryLimitIsKilledAndEventsReportTheOomKill() throws Exception {
        Path events = Files.createTempFile("hawser-events-", ".txt");
        Process follow = daemon.hawserInBackground(events, "events");
        try {
            // events streams from when it subscribed: wait until it shows a container of this test
            Hawserd.awaitTrue("hawser events streams", () -> {
                assertEquals(0, run("--rm", images.busybox(), "true").status());
                return Files.readString(events).contains("hawser/containers/create");
            });

            String name = uniqueName("oom");
            // the string doubles until the kernel's OOM killer ends the shell, at 32 MiB
            String id = runDetached(name, "--memory", "32m", images.busybox(), "sh", "-c", "a=x; while :; do a=$a$a; done");
            awaitStatus(name, "exited \\(137\\)");
            Hawserd.awaitTrue("an OOM event for " + id, () -> Files.readString(events).lines()
                    .anyMatch(l -> l.contains("hawser/tasks/oom") && l.contains(id)));
            assertTrue(follow.isAlive(), "events streams until stopped");
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
            Files.delete(events);
        }
    }

    @Test
    void aContainerCannotForkBeyondItsPidsLimit() throws Exception {
        Result run = run("--rm", "--pids-limit", "5", images.busybox(), "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo forked all");
        assertTrue(run.err().contains("can't fork"), "the fifth process is refused: " + run.err());
        assertFalse(run.out().contains("forked all"), run.out());

        Result unlimited = run("--rm", images.busybox(), "sh", "-c", "for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; echo forked all");
        assertEquals("forked all\n", unlimited.out(), unlimited.err());
    }

    private static String read(Path cgroup, String file) throws Exception {
        return Files.readString(cgroup.resolve(file)).strip();
    }
}
