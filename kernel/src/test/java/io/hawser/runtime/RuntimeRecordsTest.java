package io.hawser.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuntimeRecordsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void idsRefusePathsAndOddCharacters() {
        assertEquals("abc-1.2_3", Ids.check("abc-1.2_3", "task id"));
        for (String bad : new String[] {"", "..", ".hidden", "a/b", "a b", "x".repeat(77)}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Ids.check(bad, "task id"), bad);
            assertTrue(e.getMessage().startsWith("task id '"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Ids.check(null, "exec id"));
    }

    @Test
    void terminalHasNoSeparateStderr() {
        assertThrows(IllegalArgumentException.class,
                () -> new IOConfig.Pipes(null, Path.of("/run/out"), Path.of("/run/err"), true));
        assertDoesNotThrow(() -> new IOConfig.Pipes(null, Path.of("/run/out"), null, true));
        assertThrows(IllegalArgumentException.class, () -> new IOConfig.Log(Path.of("/var/log/c.log"), false, true, false));
    }

    @Test
    void onlyStoppedTasksHaveExitStatus() {
        ExitStatus exit = ExitStatus.exited(0, NOW);
        assertDoesNotThrow(() -> new TaskState(TaskState.Status.STOPPED, 42, exit));
        assertThrows(IllegalArgumentException.class, () -> new TaskState(TaskState.Status.STOPPED, 42, null));
        assertThrows(IllegalArgumentException.class, () -> new TaskState(TaskState.Status.RUNNING, 42, exit));
        assertThrows(IllegalArgumentException.class, () -> new TaskState(TaskState.Status.RUNNING, -1, null));
    }

    @Test
    void exitStatusOfSignalIs128Plus() {
        ExitStatus killed = ExitStatus.killed(Signals.SIGKILL, NOW, true);
        assertEquals(137, killed.code());
        assertEquals(9, killed.signal());
        assertTrue(killed.oomKilled());
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.exited(256, NOW));
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.exited(-1, NOW));
    }

    @Test
    void resourcesValidateWhatIsSet() {
        assertDoesNotThrow(() -> new Resources(-1L, null, 1024L, -1L, 100_000L, "0-3", null, -1L, Map.of("2MB", 0L), null));
        assertThrows(IllegalArgumentException.class, () -> new Resources(-2L, null, null, null, null, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Resources(null, null, 1L, null, null, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Resources(null, null, null, null, 0L, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Resources(null, null, null, null, null, null, null, null, Map.of("2MB", -5L), null));
        assertTrue(Resources.NONE.unified().isEmpty());
    }

    @Test
    void createRequestValidates() {
        var io = new IOConfig.Discard();
        assertThrows(IllegalArgumentException.class, () -> new CreateTaskRequest("a/b", Path.of("/run/b"), List.of(), io));
        assertThrows(IllegalArgumentException.class, () -> new CreateTaskRequest("c1", Path.of("rel"), List.of(), io));
        var request = new CreateTaskRequest("c1", Path.of("/run/hawser/c1"), List.of(), io);
        assertEquals(Map.of(), request.options());
        assertThrows(IllegalArgumentException.class, () -> new ExecRequest("e1", " ", io));
    }

    @Test
    void parsesSignals() {
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(15, Signals.parse("term"));
        assertEquals(15, Signals.parse("15"));
        assertEquals(3, Signals.parse("SIGQUIT"));
        assertEquals(28, Signals.parse("SIGWINCH"));
        assertEquals(34, Signals.parse("SIGRTMIN"));
        assertEquals(37, Signals.parse("RTMIN+3"));
        assertEquals(63, Signals.parse("SIGRTMAX-1"));
        for (String bad : new String[] {"", "0", "65", "999", "SIGFOO", "RTMIN+x", "RTMAX+1"}) {
            assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad), bad);
        }
    }
}
