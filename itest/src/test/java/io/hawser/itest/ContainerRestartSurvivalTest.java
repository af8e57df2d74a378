package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.Test;

/**
 * Containers outlive their daemon: after hawserd is killed with SIGKILL and started again, every
 * container it left running still runs under the same conmon and is fully manageable (ps, logs,
 * exec, kill, stop, rm); one that exited while the daemon was down shows its real exit status;
 * and once everything is removed, nothing is left.
 */
class ContainerRestartSurvivalTest extends ContainerFixture {

    private static final int RUNNING = 10;

    @Test
    void containersSurviveADaemonKilledWithSigkill() throws Exception {
        Map<String, String> running = new LinkedHashMap<>();
        for (int i = 0; i < RUNNING; i++) {
            String name = uniqueName("survivor");
            running.put(name, runDetached(name, images.busybox(), "sh", "-c", "echo hello from " + name + "; exec sleep 1000"));
        }
        String leaver = uniqueName("leaver");
        // ends with status 7 once /tmp/go exists, which the test creates while the daemon is down
        String leaverId = runDetached(leaver, images.busybox(), "sh", "-c", "echo waiting; while [ ! -e /tmp/go ]; do sleep 0.1; done; exit 7");
        for (String name : running.keySet()) {
            awaitLogs(name, "hello from " + name);
        }
        awaitLogs(leaver, "waiting");
        Map<String, List<Long>> processesBefore = new LinkedHashMap<>();
        for (Map.Entry<String, String> container : running.entrySet()) {
            processesBefore.put(container.getKey(), containerPids(container.getValue()));
        }
        List<String> supervisorsBefore = Leftovers.processesNaming(daemon.work);

        daemon.process.destroyForcibly().waitFor();
        createFileIn(leaverId, "/tmp/go");
        Hawserd.awaitTrue("the leaver ended while the daemon was down", () -> containerPids(leaverId).isEmpty());
        daemon.killAndRestart();

        for (Map.Entry<String, String> container : running.entrySet()) {
            String name = container.getKey();
            assertEquals(processesBefore.get(name), containerPids(container.getValue()), name + " keeps running, not restarted");
            assertTrue(status(name).orElseThrow().startsWith("Up "), name + ": " + status(name));
            Result logs = daemon.hawser("logs", name);
            assertEquals("hello from " + name + "\n", logs.out(), logs.err());
            Result exec = daemon.hawser("exec", name, "echo", "still " + name);
            assertEquals(0, exec.status(), exec.err());
            assertEquals("still " + name + "\n", exec.out());
        }
        awaitStatus(leaver, "exited \\(7\\)");
        assertEquals("waiting\n", daemon.hawser("logs", leaver).out());
        List<String> supervisorsAfter = Leftovers.processesNaming(daemon.work);
        assertEquals(RUNNING, supervisorsAfter.stream().filter(p -> p.contains(" conmon") || p.contains("/conmon")).count(),
                "one conmon per running container, the same as before:\n" + String.join("\n", supervisorsAfter));
        assertTrue(supervisorsBefore.containsAll(supervisorsAfter), "no supervisor was replaced:\nbefore\n"
                + String.join("\n", supervisorsBefore) + "\nafter\n" + String.join("\n", supervisorsAfter));

        List<String> names = new ArrayList<>(running.keySet());
        assertEquals(0, daemon.hawser("kill", "-s", "KILL", names.get(0)).status());
        awaitStatus(names.get(0), "exited \\(137\\)");
        assertEquals(0, daemon.hawser("stop", "-t", "1", names.get(1)).status());
        awaitStatus(names.get(1), "exited \\(137\\)");
        assertEquals(0, daemon.hawser("rm", names.get(0)).status());
        assertEquals(0, daemon.hawser("rm", leaver).status());
        for (String name : names.subList(1, names.size())) {
            Result rm = daemon.hawser("rm", "-f", name);
            assertEquals(0, rm.status(), rm.err());
        }

        assertEquals(List.of(), containerNames(), "every container removed");
        for (String id : running.values()) {
            assertNoTraceOf(id);
            assertEquals(List.of(), containerPids(id), "no process left in " + id);
        }
        assertNoTraceOf(leaverId);
        assertEquals(List.of(), Leftovers.processesNaming(daemon.work), "no conmon left");
        assertEquals(List.of(), Leftovers.mountsUnder(daemon.work), "no mount left");
        assertFalse(daemon.hawser("snapshots", "ls").out().contains("active"), "no container snapshot left");
    }
}
