package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ProcessExitTest {

    /**
     * A zombie whose parent never reaps it, as a conmon whose reaper is slow: the shell forks a
     * short sleep and then becomes a long sleep, which does not wait for children.
     */
    @Test
    void anUnreapedZombieHasEndedThoughTheJdkStillSeesIt() throws Exception {
        Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0.1 & exec sleep 30").start();
        try {
            long child = awaitChild(parent);
            assertTrue(ProcessExit.running(child), "the short sleep runs at first");

            assertTrue(ProcessExit.await(child, Duration.ofSeconds(5)), "its end is seen through the pidfd");

            assertFalse(ProcessExit.running(child), "a zombie has ended");
            assertTrue(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                    "the JDK still counts the zombie as alive, which is why ProcessExit exists");
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessThatDoesNotEndTimesOutAndAGoneOneEndedAlready() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(ProcessExit.await(sleeper.pid(), Duration.ofMillis(50)));
            assertTrue(ProcessExit.running(sleeper.pid()));
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertFalse(ProcessExit.running(sleeper.pid()));
        assertTrue(ProcessExit.await(sleeper.pid(), Duration.ofMillis(50)));
    }

    @Test
    void theStartTimeIsTheJdksSoRecordsWrittenWithItStillMatch() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long jdk = sleeper.info().startInstant().orElseThrow().toEpochMilli();
            ProcessExit.Stat stat = ProcessExit.stat(sleeper.pid()).orElseThrow();
            assertTrue(stat.running());
            assertEquals(jdk, stat.startMillis());
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertEquals(java.util.Optional.empty(), ProcessExit.stat(sleeper.pid()));
    }

    private static long awaitChild(Process parent) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            List<ProcessHandle> children = parent.toHandle().children().toList();
            if (!children.isEmpty()) {
                return children.getFirst().pid();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the shell started no child");
    }
}
