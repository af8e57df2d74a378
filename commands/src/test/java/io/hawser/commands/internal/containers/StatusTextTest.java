package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTextTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void durationsReadAsDockersDo() {
        assertEquals("Less than a second", StatusText.humanDuration(Duration.ofMillis(999)));
        assertEquals("1 second", StatusText.humanDuration(Duration.ofSeconds(1)));
        assertEquals("59 seconds", StatusText.humanDuration(Duration.ofSeconds(59)));
        assertEquals("About a minute", StatusText.humanDuration(Duration.ofSeconds(119)));
        assertEquals("59 minutes", StatusText.humanDuration(Duration.ofMinutes(59)));
        assertEquals("About an hour", StatusText.humanDuration(Duration.ofMinutes(89)));
        assertEquals("2 hours", StatusText.humanDuration(Duration.ofMinutes(90)));
        assertEquals("47 hours", StatusText.humanDuration(Duration.ofHours(47)));
        assertEquals("2 days", StatusText.humanDuration(Duration.ofHours(48)));
        assertEquals("13 days", StatusText.humanDuration(Duration.ofDays(13)));
        assertEquals("2 weeks", StatusText.humanDuration(Duration.ofDays(14)));
        assertEquals("2 months", StatusText.humanDuration(Duration.ofDays(60)));
        assertEquals("2 years", StatusText.humanDuration(Duration.ofDays(800)));
    }

    @Test
    void statusesAsDockerWordsThem() {
        Instant started = NOW.minusSeconds(5);

        assertEquals("Created", StatusText.status(Optional.empty(), started, NOW));
        assertEquals("Created", StatusText.status(Optional.of(new TaskState(TaskState.Status.CREATED, 0, null)), started, NOW));
        assertEquals("Up 5 seconds", StatusText.status(Optional.of(new TaskState(TaskState.Status.RUNNING, 7, null)), started, NOW));
        assertEquals("Up 5 seconds (Paused)", StatusText.status(Optional.of(new TaskState(TaskState.Status.PAUSED, 7, null)), started, NOW));
        assertEquals("Exited (0) 3 seconds ago", StatusText.status(Optional.of(new TaskState(TaskState.Status.STOPPED, 7,
                ExitStatus.exited(0, NOW.minusSeconds(3)))), started, NOW));
        assertEquals("Exited (137) About a minute ago", StatusText.status(Optional.of(new TaskState(TaskState.Status.STOPPED, 7,
                ExitStatus.killed(9, NOW.minusSeconds(70), false))), started, NOW));
        assertEquals("Unknown", StatusText.status(Optional.of(new TaskState(TaskState.Status.UNKNOWN, 0, null)), started, NOW));
    }

    @Test
    void commandsAreQuotedAndCutWithAnEllipsis() {
        assertEquals("\"sleep 100\"", StatusText.command(List.of("sleep", "100"), 20));
        assertEquals("\"sh -c while true; d…\"", StatusText.command(List.of("sh", "-c", "while true; do sleep 1; done"), 20));
        assertEquals("\"\"", StatusText.command(List.of(), 20));
    }

    @Test
    void dockerHubReferencesAreShortened() {
        assertEquals("busybox:latest", StatusText.image("docker.io/library/busybox:latest"));
        assertEquals("bitnami/redis:7", StatusText.image("docker.io/bitnami/redis:7"));
        assertEquals("127.0.0.1:5000/app:1", StatusText.image("127.0.0.1:5000/app:1"));
    }

    @Test
    void processStartComesFromProcStatTicksAfterBoot(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("4242"));
        // the command name holds a space and a parenthesis; starttime (field 22) is 12345 ticks
        Files.writeString(proc.resolve("4242/stat"),
                "4242 (sh (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12345 1000 10 18446744073709551615\n");
        Files.writeString(proc.resolve("stat"), "cpu 1 2 3\nbtime 1700000000\nprocesses 10\n");

        assertEquals(Optional.of(Instant.ofEpochSecond(1700000000).plusMillis(123450)), StatusText.processStart(proc, 4242));
        assertTrue(StatusText.processStart(proc, 1).isEmpty(), "a process that is gone has no start");
    }
}
