package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.containers.Container;
import io.hawser.frontend.CommandException;
import io.hawser.plugin.Daemon;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ExecCommandTest {

    @TempDir
    Path dir;

    private FakeContainers containers;
    private ExecCommand exec;
    private final Console console = new Console();
    private final List<ExecRequest> requests = new ArrayList<>();
    private final List<FakeTask> processes = new ArrayList<>();
    private Container web;
    private FakeTask task;

    @BeforeEach
    void setUp() {
        containers = new FakeContainers(dir);
        Daemon daemon = (Daemon) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Daemon.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "state" -> dir.resolve("state");
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        exec = new ExecCommand(containers, daemon);
        web = containers.add("b".repeat(64), "web", "sleep", "100");
        task = containers.task(web, TaskState.Status.RUNNING);
    }

    private static void log(Path file, String... entries) {
        try {
            Files.writeString(file, String.join("\n", entries) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exec'd processes that start at once, write to their log before anyone could attach, and exit. */
    private void processes(int code, String... entries) {
        task.execHandler = request -> {
            requests.add(request);
            Path log = ((IOConfig.Log) request.io()).path();
            FakeTask process = new FakeTask(request.execId());
            process.status = TaskState.Status.RUNNING;
            processes.add(process);
            log(log, entries[0]);
            Thread.ofVirtual().start(() -> {
                for (int i = 1; i < entries.length; i++) {
                    log(log, entries[i]);
                }
                process.exit(code);
            });
            return process;
        };
    }

    @Test
    void outputFromTheStartReachesTheRightStreamsAndTheStatusIsTheProcesses() throws Exception {
        processes(7, "t1 stdout F first, before any attach", "t2 stderr F warning", "t3 stdout P no new", "t4 stdout F line");

        int status = exec.run(console.context(), List.of("web", "sh", "-c", "exit 7"));

        assertEquals(7, status);
        assertEquals("first, before any attach\nno newline\n", console.out());
        assertEquals("warning\n", console.err());
        ExecRequest request = requests.getFirst();
        assertEquals("[\"sh\",\"-c\",\"exit 7\"]", new ObjectMapper().readTree(request.processSpec()).get("args").toString());
        IOConfig.Log io = (IOConfig.Log) request.io();
        assertFalse(io.stdin());
        assertFalse(io.terminal());
        assertFalse(Files.exists(io.path()), "the exec's log is removed");
        assertEquals(List.of("delete"), processes.getFirst().calls(), "the ended process is released");
    }

    @Test
    void interactiveInputGoesThroughAnAttachment() throws Exception {
        processes(0, "t1 stdout F ok");

        assertEquals(0, exec.run(console.context("typed\n", false), List.of("-i", "web", "cat")));

        IOConfig.Log io = (IOConfig.Log) requests.getFirst().io();
        assertTrue(io.stdin());
        assertTrue(processes.getFirst().calls().contains("attach"));
    }

    @Test
    void aTerminalExecIsSizedFromTheClient() throws Exception {
        processes(0, "t1 stdout F $ ");

        exec.run(console.context("", true), List.of("-t", "web", "sh"));

        var process = new ObjectMapper().readTree(requests.getFirst().processSpec());
        assertTrue(process.get("terminal").asBoolean());
        assertEquals(100, process.get("consoleSize").get("width").asInt());
        assertEquals(List.of("open raw=false"), console.terminalCalls);
    }

    @Test
    void execIntoAStoppedOrPausedContainerIsAClearError() {
        Container stopped = containers.add("c".repeat(64), "done", "true");
        containers.task(stopped, TaskState.Status.STOPPED);
        containers.add("d".repeat(64), "fresh", "true");
        Container paused = containers.add("e".repeat(64), "frozen", "true");
        containers.task(paused, TaskState.Status.PAUSED);

        var ended = assertThrows(CommandException.class, () -> exec.run(console.context(), List.of("done", "ls")));
        var noTask = assertThrows(CommandException.class, () -> exec.run(console.context(), List.of("fresh", "ls")));
        var frozen = assertThrows(CommandException.class, () -> exec.run(console.context(), List.of("frozen", "ls")));
        var unknown = assertThrows(CommandException.class, () -> exec.run(console.context(), List.of("ghost", "ls")));

        assertEquals("container done is not running", ended.getMessage());
        assertEquals(125, ended.status());
        assertEquals("container fresh is not running", noTask.getMessage());
        assertEquals("container frozen is paused; resume it first", frozen.getMessage());
        assertEquals("no such container: ghost", unknown.getMessage());
    }

    @Test
    void aCommandNotInTheContainerIs127() {
        task.execHandler = request -> {
            throw new IOException("exec failed: unable to start container process: exec: \"nope\": executable file not found in $PATH");
        };

        var e = assertThrows(CommandException.class, () -> exec.run(console.context(), List.of("web", "nope")));

        assertEquals(127, e.status());
    }
}
