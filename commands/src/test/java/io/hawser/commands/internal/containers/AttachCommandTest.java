package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.hawser.containers.Container;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class AttachCommandTest {

    @TempDir
    Path dir;

    private FakeContainers containers;
    private final Console console = new Console();

    @BeforeEach
    void setUp() {
        containers = new FakeContainers(dir);
    }

    /** A running container made with {@code -i}, whose process answers its input and exits with 7. */
    private FakeTask interactive(String name) {
        Container plain = containers.add("1".repeat(64), name, "cat");
        Container withStdin = new Container(plain.id(), plain.name(), plain.image(), plain.runtime(), plain.snapshotter(),
                plain.snapshotKey(), plain.spec(), plain.logPath(), true, false, false, plain.stopSignal(), plain.labels(),
                plain.createdAt());
        containers.containers.put(plain.id(), withStdin);
        FakeTask task = containers.task(withStdin, TaskState.Status.RUNNING);
        Thread.ofVirtual().start(() -> {
            try {
                // the process's output from the moment the client is attached, then its answer to the input
                while (!attached(task)) {
                    Thread.sleep(10);
                }
                task.emit(Attachment.Stream.STDOUT, "ready\n");
                task.emit(Attachment.Stream.STDERR, "warn\n");
                task.inputClosed.join();
                task.emit(Attachment.Stream.STDOUT, "got " + task.input.toString().strip() + "\n");
                task.exit(7);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return task;
    }

    private static boolean attached(FakeTask task) {
        synchronized (task.attachments) {
            return !task.attachments.isEmpty();
        }
    }

    @Test
    void theClientGetsTheOutputGivesTheInputAndEndsWithTheContainersStatus() throws Exception {
        FakeTask task = interactive("web");

        int status = new AttachCommand(containers).run(console.context("hello\n", false), List.of("web"));

        assertEquals(7, status);
        assertEquals("ready\ngot hello\n", console.out());
        assertEquals("warn\n", console.err());
        assertEquals(List.of("attach"), task.calls(), "nothing started, killed or deleted");
        assertTrue(containers.removed.isEmpty());
    }

    @Test
    void aContainerThatDoesNotRunIsNamed() {
        Container exited = containers.add("2".repeat(64), "exited", "true");
        containers.task(exited, TaskState.Status.STOPPED);
        containers.add("3".repeat(64), "created", "true");

        for (String name : List.of("exited", "created", "ghost")) {
            CommandException refused = assertThrows(CommandException.class,
                    () -> new AttachCommand(containers).run(console.context(), List.of(name)));
            assertTrue(refused.getMessage().contains(name), refused.getMessage());
        }
    }
}
