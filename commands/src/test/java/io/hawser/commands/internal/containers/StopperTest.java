package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.hawser.runtime.Signals;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class StopperTest {

    private static final int SIGQUIT = 3;

    private static FakeTask running() {
        FakeTask task = new FakeTask("t");
        task.status = TaskState.Status.RUNNING;
        return task;
    }

    @Test
    void aTaskThatHonoursTheStopSignalIsNotKilled() throws Exception {
        FakeTask task = running();
        task.onSignal = signal -> {
            if (signal == SIGQUIT) {
                task.exit(0);
            }
        };

        var exit = Stopper.stop(task, SIGQUIT, Duration.ofSeconds(10));

        assertEquals(0, exit.orElseThrow().code());
        assertEquals(List.of("kill 3"), task.calls());
    }

    @Test
    void aTaskThatIgnoresItIsKilledWithAllItsProcessesAfterTheGracePeriod() throws Exception {
        FakeTask task = running();
        task.onSignal = signal -> {
            if (signal == Signals.SIGKILL) {
                task.exit(137);
            }
        };
        long start = System.nanoTime();

        var exit = Stopper.stop(task, Signals.SIGTERM, Duration.ofMillis(300));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "the grace period was waited");
        assertEquals(137, exit.orElseThrow().code());
        assertEquals(List.of("kill 15", "kill 9 all"), task.calls());
    }

    @Test
    void zeroGraceKillsAtOnceAfterTheStopSignal() throws Exception {
        FakeTask task = running();
        task.onSignal = signal -> {
            if (signal == Signals.SIGKILL) {
                task.exit(137);
            }
        };

        Stopper.stop(task, Signals.SIGTERM, Duration.ZERO);

        assertEquals(List.of("kill 15", "kill 9 all"), task.calls());
    }

    @Test
    void aPausedTaskIsThawedToReceiveTheSignal() throws Exception {
        FakeTask task = running();
        task.status = TaskState.Status.PAUSED;
        task.onSignal = signal -> task.exit(143);

        Stopper.stop(task, Signals.SIGTERM, Duration.ofSeconds(10));

        assertEquals(List.of("kill 15", "resume"), task.calls());
    }

    @Test
    void anEndedOrNeverStartedTaskIsLeftAlone() throws Exception {
        FakeTask ended = running();
        ended.exit(4);
        FakeTask created = new FakeTask("c");

        assertEquals(4, Stopper.stop(ended, Signals.SIGTERM, Duration.ofSeconds(10)).orElseThrow().code());
        assertTrue(Stopper.stop(created, Signals.SIGTERM, Duration.ofSeconds(10)).isEmpty());
        assertEquals(List.of(), ended.calls());
        assertEquals(List.of(), created.calls());
    }
}
