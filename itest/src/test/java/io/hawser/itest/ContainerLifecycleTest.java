package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.Test;

/**
 * Detached containers through their life: signals from {@code kill} and {@code stop} (the image's
 * stop signal, SIGKILL after the grace period), {@code exec}, {@code logs} with {@code -f} and
 * {@code --tail}, {@code pause} and {@code resume}, and what {@code ps}, {@code inspect} and
 * {@code stats} show.
 */
class ContainerLifecycleTest extends ContainerFixture {

    /** A shell that prints "ready" once its trap for SIG is set, then waits; on SIG it prints "got SIG" and exits with STATUS. */
    private static String trapping(String signal, int status) {
        return "trap 'echo got " + signal + "; exit " + status + "' " + signal + "; echo ready; sleep 1000 & wait";
    }

    @Test
    void killSendsTheSignalItIsGiven() throws Exception {
        String name = uniqueName("kill");
        runDetached(name, images.busybox(), "sh", "-c", trapping("USR2", 4));
        awaitLogs(name, "ready");

        Result kill = daemon.hawser("kill", "-s", "USR2", name);
        assertEquals(0, kill.status(), kill.err());
        awaitStatus(name, "exited \\(4\\)");
        assertTrue(daemon.hawser("logs", name).out().contains("got USR2"));

        String other = uniqueName("kill");
        runDetached(other, images.busybox(), "sh", "-c", trapping("HUP", 5));
        awaitLogs(other, "ready");
        assertEquals(0, daemon.hawser("kill", "-s", "1", other).status(), "a signal by number");
        awaitStatus(other, "exited \\(5\\)");
    }

    @Test
    void stopSendsTheStopSignalAndWaits() throws Exception {
        String term = uniqueName("stop-term");
        runDetached(term, images.busybox(), "sh", "-c", trapping("TERM", 0));
        awaitLogs(term, "ready");
        Instant start = Instant.now();
        Result stop = daemon.hawser("stop", "-t", "20", term);
        assertEquals(0, stop.status(), stop.err());
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 10, "a container that obeys SIGTERM stops at once");
        awaitStatus(term, "exited \\(0\\)");
        assertTrue(daemon.hawser("logs", term).out().contains("got TERM"));

        String imageSignal = uniqueName("stop-usr1");
        runDetached(imageSignal, images.stopSignal());
        awaitLogs(imageSignal, "ready");
        assertEquals(0, daemon.hawser("stop", imageSignal).status());
        awaitStatus(imageSignal, "exited \\(0\\)");
        assertTrue(daemon.hawser("logs", imageSignal).out().contains("got USR1"), "the image's StopSignal is sent");
    }

    @Test
    void stopKillsAContainerThatIgnoresItsStopSignalAfterTheGracePeriod() throws Exception {
        String name = uniqueName("stop-deaf");
        // pid 1 of a pid namespace gets no signal it has no handler for, so sleep ignores SIGTERM
        runDetached(name, images.busybox(), "sleep", "1000");
        Instant start = Instant.now();
        Result stop = daemon.hawser("stop", "-t", "2", name);
        Duration took = Duration.between(start, Instant.now());
        assertEquals(0, stop.status(), stop.err());
        assertTrue(took.toMillis() >= 2000, "stop waits the grace period first: " + took);
        assertTrue(took.toSeconds() < 15, "then kills: " + took);
        awaitStatus(name, "exited \\(137\\)");
    }

    @Test
    void execRunsAnotherProcessInTheRunningContainer() throws Exception {
        String name = uniqueName("exec");
        runDetached(name, images.busybox(), "sleep", "1000");

        Result status = daemon.hawser("exec", name, "sh", "-c", "echo inside; echo error >&2; exit 5");
        assertEquals(5, status.status(), status.err());
        assertEquals("inside\n", status.out());
        assertTrue(status.err().contains("error"), status.err());

        Result pid1 = daemon.hawser("exec", name, "cat", "/proc/1/cmdline");
        assertEquals("sleep\0" + "1000\0", pid1.out(), "exec sees the container's processes");

        Result asApp = daemon.hawser("exec", "-u", "app", name, "id");
        assertEquals(0, asApp.status(), asApp.err());
        assertTrue(asApp.out().startsWith("uid=1000(app) gid=1000(app) groups="), "exec -u app: " + asApp.out());

        Result stdin = daemon.hawserWithInput("to the exec\n", "exec", "-i", name, "cat");
        assertEquals(0, stdin.status(), stdin.err());
        assertEquals("to the exec\n", stdin.out());
        Result noStdin = daemon.hawserWithInput("to the exec\n", "exec", name, "cat");
        assertEquals("", noStdin.out(), "no -i: an empty stdin");

        Process script = new ProcessBuilder("script", "-qfec", shellWords(daemon.cli("exec", "-t", name, "sh", "-c", "tty; exit 3")), "/dev/null")
                .redirectErrorStream(true).start();
        ConsoleReader screen = new ConsoleReader(script);
        try {
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "exec -t ends");
            assertEquals(3, script.exitValue(), screen.text());
            assertTrue(screen.text().contains("/dev/pts/"), "exec -t gets a terminal: " + screen.text());
        } finally {
            script.destroyForcibly();
        }
        awaitStatus(name, "^Up [^(]*$");
    }

    @Test
    void attachGivesTheRunningProcessTheClientsInputAndEndsWithItsStatus() throws Exception {
        String name = uniqueName("attach");
        // -i (args after the image go to the container, so the option comes first)
        runDetached(name, "-i", images.busybox(), "sh", "-c", "read line; echo got $line; exit 4");

        Result attached = daemon.hawserWithInput("hello\n", "attach", name);
        assertEquals(4, attached.status(), attached.err());
        assertEquals("got hello\n", attached.out());
        awaitStatus(name, "exited \\(4\\)");

        Result stopped = daemon.hawser("attach", name);
        assertEquals(1, stopped.status());
        assertTrue(stopped.err().contains("container " + name + " is not running"), stopped.err());
    }

    @Test
    void rmForceEndsAContainerWhileAnExecIsAttached() throws Exception {
        String name = uniqueName("rm-exec");
        String id = runDetached(name, images.busybox(), "sleep", "1000");
        Process exec = new ProcessBuilder(daemon.cli("exec", name, "sleep", "1001")).redirectErrorStream(true).start();
        try {
            Hawserd.awaitTrue("the exec runs", () -> daemon.hawser("exec", name, "sh", "-c", "cat /proc/[0-9]*/cmdline").out()
                    .contains("sleep\0" + "1001\0"));

            // the exec's client deletes its exec as it ends, while the removal deletes the task's execs
            Result rm = daemon.hawser("rm", "-f", name);
            assertEquals(0, rm.status(), rm.err());
            assertTrue(exec.waitFor(60, TimeUnit.SECONDS), "the exec's client ends with the container");
            assertFalse(containerNames().contains(name), "ps -a after rm -f");
            assertNoTraceOf(id);
        } finally {
            exec.destroyForcibly();
        }
    }

    @Test
    void logsShowTheOutputFollowItAndTailIt() throws Exception {
        String name = uniqueName("logs");
        String id = runDetached(name, images.busybox(), "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; sleep 0.5; echo oops >&2; "
                + "while [ ! -e /tmp/go ]; do sleep 0.1; done; echo later; sleep 1000");
        // stdout and stderr reach conmon through two pipes: the pause keeps their order in the log
        awaitLogs(name, "oops");

        Result all = daemon.hawser("logs", name);
        assertEquals(0, all.status(), all.err());
        assertEquals("line 1\nline 2\nline 3\nline 4\nline 5\n", all.out());
        assertEquals("oops\n", all.err(), "what the container wrote to stderr comes on stderr");

        Result tail = daemon.hawser("logs", "--tail", "2", name);
        assertEquals(0, tail.status(), tail.err());
        assertEquals("line 5\n", tail.out(), "the last two lines are line 5 and oops");
        assertEquals("oops\n", tail.err());

        Path followed = Files.createTempFile("hawser-logs-", ".txt");
        Process follow = daemon.hawserInBackground(followed, "logs", "-f", name);
        try {
            Hawserd.awaitTrue("logs -f prints what was logged", () -> Files.readString(followed).contains("line 5"));
            createFileIn(id, "/tmp/go");
            Hawserd.awaitTrue("logs -f prints what is logged after it started", () -> Files.readString(followed).contains("later"));
            assertTrue(follow.isAlive(), "logs -f follows while the container runs");

            assertEquals(0, daemon.hawser("kill", "-s", "KILL", name).status());
            assertTrue(follow.waitFor(30, TimeUnit.SECONDS), "logs -f ends when the container ends");
            assertEquals(0, follow.exitValue());
        } finally {
            follow.destroyForcibly();
            Files.delete(followed);
        }
    }

    @Test
    void pauseFreezesTheContainerAndResumeThawsIt() throws Exception {
        String name = uniqueName("pause");
        String id = runDetached(name, images.busybox(), "sleep", "1000");

        Result pause = daemon.hawser("pause", name);
        assertEquals(0, pause.status(), pause.err());
        awaitStatus(name, "paused");
        assertEquals("FROZEN", freezerState(id));

        Result resume = daemon.hawser("resume", name);
        assertEquals(0, resume.status(), resume.err());
        awaitStatus(name, "^Up [^(]*$");
        assertEquals("THAWED", freezerState(id));
        assertEquals("awake\n", daemon.hawser("exec", name, "echo", "awake").out());
    }

    @Test
    void psListsRunningContainersAndPsAAlsoTheEndedOnesInspectAndStatsDescribeThem() throws Exception {
        String running = uniqueName("ps-running");
        String runningId = runDetached(running, images.busybox(), "sleep", "1000");
        String ended = uniqueName("ps-ended");
        runDetached(ended, images.busybox(), "true");
        awaitStatus(ended, "exited \\(0\\)");

        Result ps = daemon.hawser("ps");
        assertEquals(0, ps.status(), ps.err());
        assertTrue(ps.out().lines().skip(1).anyMatch(row -> lastColumn(row).equals(running)), ps.out());
        assertFalse(ps.out().lines().skip(1).anyMatch(row -> lastColumn(row).equals(ended)), "ps shows running containers only: " + ps.out());
        assertTrue(psRow(running).orElseThrow().contains(images.busybox()), psRow(running).orElseThrow());

        Result inspect = daemon.hawser("inspect", running);
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains(runningId), inspect.out());
        assertTrue(inspect.out().contains(images.busybox()), inspect.out());

        // stats may stream like docker's or print once like ctr's: read its first figures either way
        Path output = Files.createTempFile("hawser-stats-", ".txt");
        Process stats = daemon.hawserInBackground(output, "stats", running);
        try {
            Hawserd.awaitTrue("stats names the container", () -> {
                String text = Files.readString(output);
                return text.contains(running) || text.contains(runningId.substring(0, 12));
            });
        } finally {
            stats.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.delete(output);
        }
    }

    /** The freezer state of the container's cgroup: v1 {@code freezer.state}, else v2 {@code cgroup.freeze} as FROZEN/THAWED. */
    private static String freezerState(String id) throws Exception {
        List<Path> cgroups = Leftovers.cgroupsNaming(id);
        // a hybrid host has both; the v1 freezer is the one runc uses there
        for (Path cgroup : cgroups) {
            if (Files.exists(cgroup.resolve("freezer.state"))) {
                return Files.readString(cgroup.resolve("freezer.state")).strip();
            }
        }
        for (Path cgroup : cgroups) {
            if (Files.exists(cgroup.resolve("cgroup.freeze"))) {
                return Files.readString(cgroup.resolve("cgroup.freeze")).strip().equals("1") ? "FROZEN" : "THAWED";
            }
        }
        throw new AssertionError("no freezer cgroup for " + id + " among " + cgroups);
    }
}
