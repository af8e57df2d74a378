package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import io.hawser.containers.Container;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class LogsCommandTest {

    @TempDir
    Path dir;

    private FakeContainers containers;
    private LogsCommand logs;
    private final Console console = new Console();
    private Container web;

    @BeforeEach
    void setUp() throws IOException {
        containers = new FakeContainers(dir);
        logs = new LogsCommand(containers);
        web = containers.add("a".repeat(64), "web", "sh");
        Files.writeString(web.logPath(), """
                2026-11-23T12:00:01.000000001Z stdout F one
                2026-11-23T12:00:02.000000002Z stderr P err-
                2026-11-23T12:00:03.000000003Z stdout P tw
                2026-11-23T12:00:04.000000004Z stderr F or
                2026-11-23T12:00:05.000000005Z stdout F o
                2026-11-23T12:00:06.000000006Z stdout F three
                """);
    }

    @Test
    void linesGoToTheirStreamsWithPiecesJoined() throws Exception {
        assertEquals(0, logs.run(console.context(), List.of("web")));

        assertEquals("one\ntwo\nthree\n", console.out());
        assertEquals("err-or\n", console.err());
    }

    @Test
    void tailCountsJoinedLinesOfBothStreams() throws Exception {
        logs.run(console.context(), List.of("--tail", "2", "web"));

        assertEquals("two\nthree\n", console.out());
        assertEquals("", console.err());

        Console all = new Console();
        logs.run(all.context(), List.of("-n", "all", "web"));
        assertEquals("one\ntwo\nthree\n", all.out());
    }

    @Test
    void timestampsPrefixEachLineWithItsFirstPiecesTime() throws Exception {
        logs.run(console.context(), List.of("--timestamps", "--tail=3", "web"));

        assertEquals("2026-11-23T12:00:03.000000003Z two\n2026-11-23T12:00:06.000000006Z three\n", console.out());
        assertEquals("2026-11-23T12:00:02.000000002Z err-or\n", console.err());
    }

    @Test
    void followPrintsNewLinesUntilTheContainerExits() throws Exception {
        FakeTask task = containers.task(web, TaskState.Status.RUNNING);
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                // written once the tail is out, so the tail cannot include it
                while (!console.out().contains("three")) {
                    Thread.sleep(5);
                }
                Files.writeString(web.logPath(), "2026-11-23T12:00:07Z stdout F four\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                task.exit(0);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertEquals(0, logs.run(console.context(), List.of("-f", "--tail", "1", "web")));
        writer.join();

        assertEquals("three\nfour\n", console.out());
    }

    @Test
    void aLastLineWithoutItsEndIsPrintedAsItIs() throws Exception {
        Files.writeString(web.logPath(), "t stdout P / # \n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        logs.run(console.context(), List.of("web"));

        assertTrue(console.out().endsWith("three\n/ # "), console.out());
    }

    @Test
    void badTailsAndUnknownContainersAreNamed() {
        var tail = assertThrows(CommandException.class, () -> LogsCommand.tail(Optional.of("-3")));
        var unknown = assertThrows(CommandException.class, () -> logs.run(console.context(), List.of("ghost")));

        assertTrue(tail.getMessage().contains("--tail -3"), tail.getMessage());
        assertEquals("no such container: ghost", unknown.getMessage());
    }
}
