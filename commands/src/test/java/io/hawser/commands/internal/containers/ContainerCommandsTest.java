package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.containers.Container;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Stats;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** ps, kill, stop, rm, pause, resume, inspect, stats against fakes. */
@Timeout(20)
class ContainerCommandsTest {

    @TempDir
    Path dir;

    private FakeContainers containers;
    private final Console console = new Console();
    private Container up;
    private Container exited;
    private Container created;
    private FakeTask upTask;

    @BeforeEach
    void setUp() {
        containers = new FakeContainers(dir);
        up = containers.add("1".repeat(64), "up", "sleep", "100");
        upTask = containers.task(up, TaskState.Status.RUNNING);
        exited = containers.add("2".repeat(64), "exited", "sh", "-c", "exit 3");
        containers.task(exited, TaskState.Status.STOPPED);
        created = containers.add("3".repeat(64), "created", "true");
    }

    @Test
    void psListsRunningContainersAndWithAllEveryOneNewestFirst() throws Exception {
        new PsCommand(containers).run(console.context(), List.of());
        List<String> running = console.out().lines().toList();

        assertEquals(2, running.size());
        assertTrue(running.get(0).matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +NAMES"), running.get(0));
        assertTrue(running.get(1).matches("1{12} +busybox:latest +\"sleep 100\" +About a minute ago +Up .* +up"), running.get(1));

        Console all = new Console();
        new PsCommand(containers).run(all.context(), List.of("-a"));
        List<String> lines = all.out().lines().toList();

        assertEquals(4, lines.size());
        assertTrue(lines.get(1).matches("3{12} .*\"true\" .* Created +created"), lines.get(1));
        assertTrue(lines.get(2).matches("2{12} .*\"sh -c exit 3\" .* Exited \\(3\\) 5 seconds ago +exited"), lines.get(2));
    }

    @Test
    void psQuietPrintsShortIds() throws Exception {
        new PsCommand(containers).run(console.context(), List.of("-aq"));

        assertEquals("3".repeat(12) + "\n" + "2".repeat(12) + "\n" + "1".repeat(12) + "\n", console.out());
    }

    @Test
    void killSendsTheSignalGivenOrSigkillAndNamesWhatIsNotRunning() throws Exception {
        KillCommand kill = new KillCommand(containers);

        assertEquals(0, kill.run(console.context(), List.of("-s", "HUP", "up")));
        assertEquals(0, kill.run(console.context(), List.of("up")));
        assertEquals(1, kill.run(console.context(), List.of("exited", "created", "ghost", "up")));

        assertEquals(List.of("kill 1", "kill 9", "kill 9"), upTask.calls());
        assertEquals("up\nup\nup\n", console.out());
        assertEquals("""
                hawser kill: container exited is not running
                hawser kill: container created is not running
                hawser kill: no such container: ghost
                """, console.err());
        var e = assertThrows(CommandException.class, () -> kill.run(console.context(), List.of("-s", "BOGUS", "up")));
        assertEquals(CommandException.USAGE, e.status());
    }

    @Test
    void stopStopsRunningOnesAndTakesTheOthersAsStopped() throws Exception {
        upTask.onSignal = signal -> upTask.exit(143);

        assertEquals(0, new StopCommand(containers).run(console.context(), List.of("-t", "5", "up", "exited", "created")));

        assertEquals(List.of("kill " + Signals.SIGTERM), upTask.calls());
        assertEquals("up\nexited\ncreated\n", console.out());
        assertThrows(CommandException.class, () -> StopCommand.grace("soon"));
    }

    @Test
    void rmRefusesARunningContainerWithoutForce() throws Exception {
        RmCommand rm = new RmCommand(containers);

        assertEquals(1, rm.run(console.context(), List.of("up", "exited")));
        assertEquals("hawser rm: container up is running: stop it first, or remove it with rm -f\n", console.err());
        assertEquals(List.of("2".repeat(64)), containers.removed());

        assertEquals(0, rm.run(console.context(), List.of("-f", "up")));
        assertEquals(List.of("2".repeat(64), "1".repeat(64) + " forced"), containers.removed());
    }

    @Test
    void anAmbiguousPrefixIsNamed() throws Exception {
        containers.add("1".repeat(63) + "0", "twin", "true");

        assertEquals(1, new RmCommand(containers).run(console.context(), List.of("111")));

        assertTrue(console.err().contains("prefix 111 is ambiguous"), console.err());
    }

    @Test
    void pauseAndResumeCheckTheState() throws Exception {
        assertEquals(0, new PauseCommand(containers).run(console.context(), List.of("up")));
        assertEquals(1, new PauseCommand(containers).run(console.context(), List.of("up")));
        assertEquals(0, new ResumeCommand(containers).run(console.context(), List.of("up")));
        assertEquals(1, new ResumeCommand(containers).run(console.context(), List.of("up", "exited")));

        assertEquals(List.of("pause", "resume"), upTask.calls());
        assertTrue(console.err().contains("container up is paused; resume it first"), console.err());
        assertTrue(console.err().contains("hawser resume: container up is not paused"), console.err());
        assertTrue(console.err().contains("container exited is not paused"), console.err());
    }

    @Test
    void inspectShowsRecordSpecAndTaskState() throws Exception {
        assertEquals(1, new InspectCommand(containers).run(console.context(), List.of("exited", "created", "ghost")));

        JsonNode array = new ObjectMapper().readTree(console.out());
        assertEquals(2, array.size());
        JsonNode first = array.get(0);
        assertEquals("2".repeat(64), first.get("Id").asText());
        assertEquals("exited", first.get("Name").asText());
        assertEquals("stopped", first.get("State").get("Status").asText());
        assertEquals(3, first.get("State").get("ExitCode").asInt());
        assertEquals(4242, first.get("State").get("Pid").asInt());
        assertEquals("[\"sh\",\"-c\",\"exit 3\"]", first.get("Spec").get("process").get("args").toString());
        assertEquals("no task", array.get(1).get("State").get("Status").asText());
        assertEquals("hawser inspect: no such container: ghost\n", console.err());
    }

    @Test
    void statsFiguresAsDockerPrintsThem() {
        Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
        Stats before = new Stats(t0, 1_000_000_000L, 0, 0, -1, 1);
        Stats after = new Stats(t0.plusSeconds(1), 1_250_000_000L, 3 << 20, 1_536_000, 64L << 20, 3);

        assertEquals(0.25, StatsCommand.cpuFraction(before, after), 1e-9);
        assertEquals(0, StatsCommand.cpuFraction(after, after));
        assertEquals("25.00%", StatsCommand.percent(0.25));
        assertEquals("1.465MiB", StatsCommand.bytes(1_536_000));
        assertEquals("64MiB", StatsCommand.bytes(64L << 20));
        assertEquals("512B", StatsCommand.bytes(512));
        assertEquals("7.5GiB", StatsCommand.bytes(7_680L << 20));

        Stats unlimited = new Stats(t0.plusSeconds(1), 1_250_000_000L, 0, 1L << 20, Long.MAX_VALUE, 2);
        String table = tableText(List.of(new StatsCommand.Sample(up, before, after), new StatsCommand.Sample(exited, before, unlimited)));
        List<String> lines = table.lines().toList();

        assertTrue(lines.get(0).matches("CONTAINER ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +PIDS"), lines.get(0));
        assertTrue(lines.get(1).matches("1{12} +up +25\\.00% +1\\.465MiB / 64MiB +2\\.29% +3"), lines.get(1));
        assertTrue(lines.get(2).matches("2{12} +exited +25\\.00% +1MiB / 1GiB +0\\.10% +2"), lines.get(2));
    }

    private static String tableText(List<StatsCommand.Sample> samples) {
        var out = new java.io.ByteArrayOutputStream();
        StatsCommand.table(samples, 1L << 30)
                .print(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void statsNoStreamMeasuresTwiceAndPrintsOnce() throws Exception {
        upTask.stats = new Stats(Instant.now(), 5, 0, 1024, -1, 1);

        assertEquals(0, new StatsCommand(containers).run(console.context(), List.of("--no-stream")));

        List<String> lines = console.out().lines().toList();
        assertEquals(2, lines.size(), console.out());
        assertTrue(lines.get(1).matches("1{12} +up +0\\.00% +1KiB / .*"), lines.get(1));
    }
}
