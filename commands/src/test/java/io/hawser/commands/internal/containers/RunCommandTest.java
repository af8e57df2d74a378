package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.frontend.CommandException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.PullOptions;
import io.hawser.runtime.Attachment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class RunCommandTest {

    private static final String BUSYBOX = "docker.io/library/busybox:latest";

    @TempDir
    Path dir;

    private FakeContainers containers;
    private final List<String> images = new ArrayList<>(List.of(BUSYBOX));
    private final List<String> pulls = new ArrayList<>();
    private RunCommand run;
    private final Console console = new Console();

    private static Image image(String name) {
        return new Image(name, new Descriptor("application/vnd.oci.image.index.v1+json", Digest.sha256(name.getBytes()), 1, Map.of(),
                List.of(), null), Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    @BeforeEach
    void setUp() {
        containers = new FakeContainers(dir);
        ImageStore store = (ImageStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ImageStore.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> images.contains((String) args[0]) ? Optional.of(image((String) args[0])) : Optional.empty();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ImageService service = (ImageService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ImageService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "pull" -> {
                        String reference = (String) args[0];
                        pulls.add(reference + " snapshotter=" + ((PullOptions) args[1]).snapshotter());
                        if (reference.contains("nonexistent")) {
                            throw HawserException.notFound("image docker.io/library/" + reference + ":latest in the registry");
                        }
                        images.add(BUSYBOX.replace("busybox", reference));
                        yield image(BUSYBOX.replace("busybox", reference));
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        run = new RunCommand(containers, service, store);
    }

    /** Tasks that write to both streams and exit with 3. */
    private void program(java.util.function.Consumer<FakeTask> program) {
        containers.taskFactory = container -> {
            FakeTask task = new FakeTask(container.id());
            task.program = program;
            return task;
        };
    }

    private FakeTask onlyTask() {
        return containers.tasks.values().iterator().next();
    }

    @Test
    void outputGoesToTheRightStreamsAndTheExitStatusIsTheContainers() throws Exception {
        program(task -> {
            task.emit(Attachment.Stream.STDOUT, "hello\n");
            task.emit(Attachment.Stream.STDERR, "oops\n");
            task.exit(3);
        });

        int status = run.run(console.context(), List.of("busybox", "sh", "-c", "echo hello; echo oops >&2; exit 3"));

        assertEquals(3, status);
        assertEquals("hello\n", console.out());
        assertEquals("oops\n", console.err());
        assertEquals(List.of("attach", "start"), onlyTask().calls(), "attached before the start, so no output is lost");
        assertEquals(List.of("sh", "-c", "echo hello; echo oops >&2; exit 3"), containers.created.getFirst().command());
        assertEquals(BUSYBOX, containers.created.getFirst().image());
        assertEquals(List.of(), pulls);
        assertEquals(1, containers.containers.size(), "without --rm the container stays");
    }

    @Test
    void rmRemovesTheContainerAfterItsExit() throws Exception {
        program(task -> task.exit(0));

        assertEquals(0, run.run(console.context(), List.of("--rm", "busybox", "true")));

        assertEquals(1, containers.removed().size());
        assertTrue(containers.containers.isEmpty());
    }

    @Test
    void detachedPrintsTheIdAndDoesNotAttach() throws Exception {
        program(task -> {});

        assertEquals(0, run.run(console.context(), List.of("-d", "--name", "web", "busybox", "sleep", "100")));

        String id = containers.containers.keySet().iterator().next();
        assertEquals(id + "\n", console.out());
        assertEquals(List.of("start"), onlyTask().calls());
    }

    @Test
    void interactiveInputReachesTheContainerAndItsEndClosesTheContainersInput() throws Exception {
        program(task -> {
            task.inputClosed.join();
            synchronized (task.input) {
                task.emit(Attachment.Stream.STDOUT, task.input.toString());
            }
            task.exit(0);
        });

        assertEquals(0, run.run(console.context("line one\nline two\n", false), List.of("-i", "busybox", "cat")));

        assertEquals("line one\nline two\n", console.out());
        assertTrue(containers.created.getFirst().stdin());
    }

    @Test
    void aTerminalIsOpenedRawAndSizedBeforeTheStart() throws Exception {
        program(task -> task.exit(0));

        run.run(console.context("", true), List.of("-it", "busybox", "sh"));

        assertEquals(List.of("open raw=true"), console.terminalCalls);
        assertEquals(List.of("attach", "resize 100x30", "start"), onlyTask().calls());
        assertTrue(containers.created.getFirst().terminal());
    }

    @Test
    void aTerminalWithoutInputIsNotRaw() throws Exception {
        program(task -> task.exit(0));

        run.run(console.context("", true), List.of("-t", "busybox", "ls"));

        assertEquals(List.of("open raw=false"), console.terminalCalls);
    }

    @Test
    void withoutATerminalTheClientsSignalsReachTheContainer() throws Exception {
        program(task -> {
            while (console.signalHandler == null) {
                Thread.onSpinWait();
            }
            console.signalHandler.accept(2);
        });
        containers.taskFactory = withSignalExit(containers.taskFactory);

        assertEquals(130, run.run(console.context("", true), List.of("busybox", "sleep", "100")));

        assertTrue(onlyTask().calls().contains("kill 2"), onlyTask().calls().toString());
    }

    private static java.util.function.Function<io.hawser.containers.Container, FakeTask> withSignalExit(
            java.util.function.Function<io.hawser.containers.Container, FakeTask> factory) {
        return container -> {
            FakeTask task = factory.apply(container);
            task.onSignal = signal -> task.exit(128 + signal);
            return task;
        };
    }

    @Test
    void interactiveTerminalNeedsATerminal() {
        var e = assertThrows(CommandException.class, () -> run.run(console.context("", false), List.of("-it", "busybox", "sh")));

        assertEquals(125, e.status());
        assertTrue(e.getMessage().contains("not a TTY"), e.getMessage());
        assertTrue(containers.created.isEmpty());
    }

    @Test
    void aMissingImageIsPulledWithProgressOnStderr() throws Exception {
        program(task -> task.exit(0));

        assertEquals(0, run.run(console.context(), List.of("--snapshotter", "btrfs", "alpine", "true")));

        assertEquals(List.of("alpine snapshotter=btrfs"), pulls);
        assertTrue(console.err().contains("Unable to find image 'alpine' locally"), console.err());
        assertEquals("docker.io/library/alpine:latest", containers.created.getFirst().image());
    }

    @Test
    void anImageThatCannotBePulledIs125AndCreatesNothing() {
        var e = assertThrows(CommandException.class, () -> run.run(console.context(), List.of("nonexistent", "true")));

        assertEquals(125, e.status());
        assertTrue(e.getMessage().contains("nonexistent"), e.getMessage());
        assertTrue(containers.created.isEmpty());
    }

    @Test
    void aCommandTheImageDoesNotHaveIs127AndLeavesNoContainer() {
        containers.createTaskFailure = new IOException(
                "runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH");

        var e = assertThrows(CommandException.class, () -> run.run(console.context(), List.of("busybox", "nope")));

        assertEquals(127, e.status());
        assertTrue(e.getMessage().contains("executable file not found"), e.getMessage());
        assertTrue(containers.containers.isEmpty(), "the failed run left its container");
    }

    @Test
    void aStartThatFailsRemovesTheContainer() {
        containers.taskFactory = container -> {
            FakeTask task = new FakeTask(container.id());
            task.startFailure = new IOException("exec: \"/etc\": permission denied");
            return task;
        };

        var e = assertThrows(CommandException.class, () -> run.run(console.context(), List.of("busybox", "/etc")));

        assertEquals(126, e.status());
        assertTrue(containers.containers.isEmpty());
    }

    @Test
    void theDaemonsRefusalsAre125() {
        containers.add("a".repeat(64), "web", "sleep");

        var duplicate = assertThrows(CommandException.class, () -> run.run(console.context(), List.of("--name", "web", "busybox")));
        var usage = assertThrows(CommandException.class, () -> run.run(console.context(), List.of("--memory")));

        assertEquals(125, duplicate.status());
        assertTrue(duplicate.getMessage().contains("web already exists"), duplicate.getMessage());
        assertEquals(125, usage.status());
        assertTrue(usage.getMessage().contains("--memory needs a value"), usage.getMessage());
    }
}
