package io.hawser.runtime.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.kernel.internal.spec.HostFacts;
import io.hawser.kernel.internal.spec.ImageConfig;
import io.hawser.kernel.internal.spec.ImageUsers;
import io.hawser.kernel.internal.spec.SpecBuilder;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.Attachment.Chunk;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState.Status;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.testsuite.HostAssumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules every {@link Runtime} follows, as tests on real containers. A runtime's test class
 * extends this class and says how to build one on a state directory; the suite calls it again on
 * the same directory to play a daemon restart ({@link #closeRuntime} then {@link #newRuntime}).
 *
 * <p>Each test builds its own root filesystem from the host's statically linked {@code busybox}
 * (Debian's {@code busybox-static}), writes the bundle's {@code config.json} with the kernel's
 * {@link SpecBuilder}, and hands the runtime the root filesystem as a read-only bind mount, the way a
 * snapshotter's mounts arrive. Containers get cgroups under {@value #CGROUP_PARENT}.
 *
 * <p>Containers need root and busybox: without them every test is skipped with the reason printed.
 * After each test the suite checks that nothing is left: no task, no mount below its directory, no
 * process naming a task id, no file or directory named after one in the runtime's state directory.
 */
public abstract class RuntimeConformance {

    /** Ample for a container to start or stop on a loaded 2-core machine. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String CGROUP_PARENT = "/hawser-conformance/";
    private static final List<String> APPLETS = List.of("sh", "echo", "cat", "sleep", "true", "false", "stty", "tty",
            "head", "test", "kill", "ls", "id");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    private Path temp;

    /** The runtime under test; a new instance after {@link #restart()}. */
    protected Runtime runtime;

    private Path stateDir;
    private Path image;
    private final List<String> ids = new ArrayList<>();

    /** Builds a runtime that keeps its tasks' state under {@code stateDir}. */
    protected abstract Runtime newRuntime(Path stateDir) throws IOException;

    /** Releases a runtime instance (not its tasks, which live on). Closes it if it is closeable. */
    protected void closeRuntime(Runtime old) throws Exception {
        if (old instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    @BeforeEach
    final void openRuntime() throws IOException {
        HostAssumptions.assumeRoot();
        Optional<Path> busybox = Executables.find("busybox");
        if (busybox.isEmpty()) {
            System.out.println(getClass().getSimpleName() + " skipped: no busybox in PATH (install busybox-static)");
        }
        assumeTrue(busybox.isPresent(), "skipped: no busybox in PATH (install busybox-static)");
        image = Files.createDirectories(temp.resolve("image"));
        Path bin = Files.createDirectories(image.resolve("bin"));
        Files.copy(busybox.get(), bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String dir : List.of("proc", "dev", "sys", "tmp", "etc")) {
            Files.createDirectories(image.resolve(dir));
        }
        Files.writeString(image.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        Files.writeString(image.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
        stateDir = Files.createDirectories(temp.resolve("state"));
        runtime = newRuntime(stateDir);
    }

    @AfterEach
    final void leaveNothing() throws Exception {
        if (runtime == null) {
            return;
        }
        List<String> leftTasks = new ArrayList<>();
        for (Task task : runtime.tasks()) {
            leftTasks.add(task.id());
            task.kill(Signals.SIGKILL, true);
            await(task.waitFor());
            task.delete();
        }
        closeRuntime(runtime);
        assertEquals(List.of(), leftTasks, "tasks left behind by the test");
        assertNothingLeft();
        removeCgroups();
    }

    // ---- lifecycle --------------------------------------------------------------------------

    @Test
    void createStartWaitDelete() throws Exception {
        Task task = create(TaskSpec.of("sh", "-c", "exit 0"));
        assertEquals(Status.CREATED, task.state().status());
        assertTrue(task.pid() > 0, "a created task has its process");
        assertEquals(task, runtime.task(task.id()).orElseThrow(), "found by id");
        task.start();
        ExitStatus exit = await(task.waitFor());
        assertEquals(0, exit.code());
        assertEquals(Status.STOPPED, task.state().status());
        assertEquals(0, task.delete().code());
        assertEquals(Optional.empty(), runtime.task(task.id()));
        assertFalse(ProcessHandle.of(task.pid()).map(ProcessHandle::isAlive).orElse(false), "process still there");
    }

    /** Status queries come at any time (kubelet polls): one during a create must leave it alone. */
    @Test
    void lookingUpTasksDuringACreateLeavesItAlone() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean creating = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread poller = Thread.ofPlatform().start(() -> {
            while (creating.get()) {
                try {
                    runtime.tasks();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        try {
            for (int i = 0; i < 3; i++) {
                Task task = run(TaskSpec.of("sh", "-c", "exit 0"));
                assertEquals(0, await(task.waitFor()).code());
                task.delete();
            }
        } finally {
            creating.set(false);
            poller.join();
        }
    }

    @Test
    void exitCodeIsReported() throws Exception {
        Task task = run(TaskSpec.of("sh", "-c", "exit 3"));
        assertEquals(3, await(task.waitFor()).code());
        assertEquals(3, task.state().exitStatus().code());
        assertEquals(3, task.delete().code());
    }

    @Test
    void startTwiceIsAFailedPrecondition() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        assertCode(ErrorCode.FAILED_PRECONDITION, task::start);
        task.kill(Signals.SIGKILL);
        await(task.waitFor());
        task.delete();
    }

    @Test
    void aCreatedTaskCanBeDeleted() throws Exception {
        Task task = create(TaskSpec.of("sleep", "60"));
        task.delete();
        assertEquals(Optional.empty(), runtime.task(task.id()));
    }

    @Test
    void deletingARunningTaskIsAFailedPrecondition() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        assertCode(ErrorCode.FAILED_PRECONDITION, task::delete);
        assertEquals(Status.RUNNING, task.state().status());
        task.kill(Signals.SIGKILL);
        assertEquals(128 + Signals.SIGKILL, await(task.waitFor()).code());
        task.delete();
    }

    @Test
    void aDuplicateIdIsRefused() throws Exception {
        Task task = create(TaskSpec.of("sleep", "60"));
        Path bundle = bundle(task.id() + "-again", TaskSpec.of("true"));
        HawserException error = assertThrows(HawserException.class, () -> runtime.create(
                new CreateTaskRequest(task.id(), bundle, rootfsMounts(), new IOConfig.Discard())));
        assertEquals(ErrorCode.ALREADY_EXISTS, error.code());
        assertEquals(Status.CREATED, task.state().status(), "the first task is untouched");
        task.delete();
    }

    // ---- signals ----------------------------------------------------------------------------

    @Test
    void sigtermToAPid1SleepIsIgnoredAndSigkillGives137() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        task.kill(Signals.SIGTERM);
        // pid 1 of a pid namespace gets only signals it handles, and sleep handles none
        assertThrows(TimeoutException.class, () -> task.waitFor().toCompletableFuture().get(500, TimeUnit.MILLISECONDS));
        assertEquals(Status.RUNNING, task.state().status());
        task.kill(Signals.SIGKILL);
        assertEquals(137, await(task.waitFor()).code());
        task.kill(Signals.SIGKILL);  // an ended process: nothing happens
        task.delete();
    }

    @Test
    void killAllReachesEveryProcess() throws Exception {
        Task task = run(TaskSpec.of("sh", "-c", "trap '' TERM; sleep 60 & sleep 61 & wait"));
        awaitTrue(() -> task.pids().size() >= 3, "sh and two sleeps");
        task.kill(Signals.SIGKILL, true);
        assertEquals(137, await(task.waitFor()).code());
        task.delete();
    }

    // ---- exec -------------------------------------------------------------------------------

    @Test
    void execReportsItsExitCodeAndOutput() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        Process exec = exec(task, "probe", new IOConfig.Log(temp.resolve("probe.log"), false, false, false),
                "sh", "-c", "echo out; echo err >&2; exit 5");
        Output output = readAll(exec.attach());
        assertEquals(5, await(exec.waitFor()).code());
        assertEquals("out\n", output.stdout());
        assertEquals("err\n", output.stderr());
        assertEquals(exec.id(), task.process("probe").orElseThrow().id());
        assertCode(ErrorCode.ALREADY_EXISTS, () -> exec(task, "probe", new IOConfig.Discard(), "true"));
        assertEquals(5, exec.delete().code());
        assertEquals(Optional.empty(), task.process("probe"));
        stop(task);
    }

    @Test
    void execWithDiscardedOutputRuns() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        Process exec = exec(task, "quiet", new IOConfig.Discard(), "sh", "-c", "exit 4");
        assertEquals(4, await(exec.waitFor()).code());
        assertCode(ErrorCode.FAILED_PRECONDITION, exec::attach);
        exec.delete();
        stop(task);
    }

    @Test
    void execOfAMissingCommandNamesIt() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        IOException error = assertThrows(IOException.class,
                () -> exec(task, "missing", new IOConfig.Discard(), "no-such-tool"));
        assertTrue(error.getMessage().contains("no-such-tool"), error.getMessage());
        assertEquals(Optional.empty(), task.process("missing"));
        assertEquals(Status.RUNNING, task.state().status(), "the task runs on");
        stop(task);
    }

    @Test
    void execIntoAStoppedTaskIsAFailedPrecondition() throws Exception {
        Task task = run(TaskSpec.of("true"));
        await(task.waitFor());
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> exec(task, "late", new IOConfig.Discard(), "true"));
        task.delete();
    }

    @Test
    void execWithATerminalAndInput() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        Process exec = exec(task, "shell", new IOConfig.Log(temp.resolve("shell.log"), true, true, true),
                "sh", "-c", "read line; echo got $line; tty");
        try (Attachment attachment = exec.attach()) {
            attachment.write("hi\n".getBytes(StandardCharsets.UTF_8), 0, 3);
            Output output = readUntil(attachment, out -> out.stdout().contains("/dev/pts/"));
            assertTrue(output.stdout().contains("got hi"), output.stdout());
            assertEquals("", output.stderr(), "a terminal has one stream");
        }
        assertEquals(0, await(exec.waitFor()).code());
        exec.delete();
        stop(task);
    }

    // ---- attach, terminal, input ------------------------------------------------------------

    @Test
    void attachSeesOutputAndFeedsInput() throws Exception {
        Task task = create(TaskSpec.of("cat").stdin(true));
        try (Attachment attachment = task.attach()) {
            task.start();
            byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
            attachment.write(hello, 0, hello.length);
            Output output = readUntil(attachment, out -> out.stdout().contains("hello\n"));
            assertEquals("hello\n", output.stdout());
            attachment.closeStdin();
            assertEquals(0, await(task.waitFor()).code(), "cat ends at the end of its input");
        }
        String log = Files.readString(logOf(task));
        assertTrue(log.matches("\\S+ stdout F hello\\n"), log);
        task.delete();
    }

    @Test
    void closeIOEndsInput() throws Exception {
        Task task = run(TaskSpec.of("cat").stdin(true));
        task.closeIO();
        assertEquals(0, await(task.waitFor()).code());
        task.delete();
    }

    @Test
    void terminalHasOneStreamAndResizes() throws Exception {
        Task task = create(TaskSpec.of("sh", "-c", "test -t 0 && echo is-a-tty; while read x; do stty size; done")
                .stdin(true).terminal(true));
        try (Attachment attachment = task.attach()) {
            CompletableFuture<Output> all = CompletableFuture.supplyAsync(() -> {
                try {
                    return readUntil(attachment, out -> out.stdout().contains("30 100"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            task.start();
            task.resizePty(100, 30);
            // the shim applies a resize when it gets to it: ask for the size until it shows
            awaitTrue(() -> {
                attachment.write("\n".getBytes(StandardCharsets.UTF_8), 0, 1);
                return all.isDone();
            }, "the terminal to show the new size");
            Output output = await(all);
            // the terminal echoes the newlines sent to ask for the size, maybe before the shell's first line
            assertTrue(output.stdout().strip().startsWith("is-a-tty"), output.stdout());
            assertEquals("", output.stderr(), "a terminal has one stream");
            // a terminal's input ends with its end-of-file character, not with the stream's end
            attachment.write(new byte[] {4}, 0, 1);
        }
        assertEquals(0, await(task.waitFor()).code());
        task.delete();
    }

    @Test
    void resizingWithoutATerminalIsAFailedPrecondition() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        assertCode(ErrorCode.FAILED_PRECONDITION, () -> task.resizePty(80, 24));
        stop(task);
    }

    @Test
    void reopenLogWritesToAFreshFile() throws Exception {
        Task task = create(TaskSpec.of("cat").stdin(true));
        try (Attachment attachment = task.attach()) {
            task.start();
            attachment.write("one\n".getBytes(StandardCharsets.UTF_8), 0, 4);
            readUntil(attachment, out -> out.stdout().contains("one"));
            Path rotated = logOf(task).resolveSibling("rotated.log");
            Files.move(logOf(task), rotated);
            task.reopenLog();
            awaitTrue(() -> Files.exists(logOf(task)), "the log file reopened");
            attachment.write("two\n".getBytes(StandardCharsets.UTF_8), 0, 4);
            readUntil(attachment, out -> out.stdout().contains("two"));
            attachment.closeStdin();
            await(task.waitFor());
            assertTrue(Files.readString(rotated).contains("one") && !Files.readString(rotated).contains("two"));
            assertTrue(Files.readString(logOf(task)).contains("two"));
        }
        task.delete();
    }

    // ---- pause, pids, stats, update, OOM ------------------------------------------------------

    @Test
    void pauseAndResume() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60"));
        task.pause();
        assertEquals(Status.PAUSED, task.state().status());
        assertCode(ErrorCode.FAILED_PRECONDITION, task::pause);
        task.resume();
        assertEquals(Status.RUNNING, task.state().status());
        assertCode(ErrorCode.FAILED_PRECONDITION, task::resume);
        stop(task);
    }

    @Test
    void pidsListsEveryProcess() throws Exception {
        Task task = run(TaskSpec.of("sh", "-c", "sleep 60 & sleep 61 & wait"));
        awaitTrue(() -> task.pids().size() == 3, "sh and two sleeps");
        assertTrue(task.pids().contains(task.pid()), "the init process is listed");
        stop(task);
    }

    @Test
    void statsMeasureTheTask() throws Exception {
        Task task = run(TaskSpec.of("sh", "-c", "sleep 60 & wait").memoryLimit(64L << 20));
        awaitTrue(() -> task.stats().pids() == 2, "sh and sleep");
        Stats stats = task.stats();
        assertEquals(64L << 20, stats.memoryLimitBytes());
        assertTrue(stats.memoryUsageBytes() > 0, "memory used: " + stats);
        assertTrue(stats.memoryWorkingSetBytes() <= stats.memoryUsageBytes(), stats.toString());
        assertTrue(stats.cpuUsageNanos() > 0, "cpu used: " + stats);
        stop(task);
    }

    @Test
    void updateChangesLimits() throws Exception {
        Task task = run(TaskSpec.of("sleep", "60").memoryLimit(64L << 20));
        task.update(new Resources(32L << 20, null, null, null, null, null, null, 10L, null, null));
        assertEquals(32L << 20, task.stats().memoryLimitBytes());
        task.update(Resources.NONE);
        assertEquals(32L << 20, task.stats().memoryLimitBytes(), "an empty update changes nothing");
        stop(task);
    }

    @Test
    void memoryLimitEndsInOom() throws Exception {
        Task task = create(TaskSpec.of("sh", "-c", "x=0123456789; while true; do x=$x$x; done").memoryLimit(16L << 20));
        CompletionStage<Void> oom = task.oom();
        task.start();
        await(oom);
        ExitStatus exit = await(task.waitFor());
        assertTrue(exit.oomKilled(), "oomKilled: " + exit);
        assertEquals(137, exit.code());
        task.delete();
    }

    // ---- restart ----------------------------------------------------------------------------

    @Test
    void aNewRuntimeFindsRunningAndExitedTasks() throws Exception {
        Task running = run(TaskSpec.of("sleep", "60"));
        Task ending = run(TaskSpec.of("sh", "-c", "read x; exit 7").stdin(true));
        long pid = running.pid();
        closeRuntime(runtime);
        // the task ends while no runtime instance watches it
        try (Attachment attachment = ending.attach()) {
            attachment.write("\n".getBytes(StandardCharsets.UTF_8), 0, 1);
            // the output ends when the process does
            assertEquals("", readAll(attachment).stdout());
        }
        runtime = newRuntime(stateDir);

        List<String> found = runtime.tasks().stream().map(Task::id).sorted().toList();
        assertEquals(Stream.of(running.id(), ending.id()).sorted().toList(), found);
        Task again = runtime.task(running.id()).orElseThrow();
        assertEquals(Status.RUNNING, again.state().status());
        assertEquals(pid, again.pid());
        Process exec = exec(again, "after", new IOConfig.Log(temp.resolve("after.log"), false, false, false),
                "echo", "still here");
        assertEquals("still here\n", readAll(exec.attach()).stdout());
        assertEquals(0, await(exec.waitFor()).code());
        exec.delete();
        stop(again);

        Task ended = runtime.task(ending.id()).orElseThrow();
        assertEquals(7, await(ended.waitFor()).code());
        assertEquals(Status.STOPPED, ended.state().status());
        assertEquals(7, ended.delete().code());
    }

    // ---- bad input --------------------------------------------------------------------------

    @Test
    void aCommandMissingFromTheRootfsIsNamedAndLeavesNothing() throws Exception {
        String id = nextId();
        Path bundle = bundle(id, TaskSpec.of("no-such-command"));
        IOException error = assertThrows(IOException.class, () -> runtime.create(new CreateTaskRequest(id, bundle,
                rootfsMounts(), new IOConfig.Log(temp.resolve(id + ".log"), false, false, false))));
        assertTrue(error.getMessage().contains("no-such-command"), error.getMessage());
        assertEquals(Optional.empty(), runtime.task(id));
        assertEquals(List.of(), runtime.tasks());
        assertNothingLeft();
    }

    @Test
    void aBundleWithoutConfigIsRefused() throws Exception {
        String id = nextId();
        Path bundle = Files.createDirectories(temp.resolve("bundles").resolve(id));
        IOException error = assertThrows(IOException.class, () -> runtime.create(new CreateTaskRequest(id, bundle,
                rootfsMounts(), new IOConfig.Discard())));
        assertTrue(error.getMessage().contains("config.json"), error.getMessage());
        assertEquals(Optional.empty(), runtime.task(id));
        assertNothingLeft();
    }

    // ---- fixture ----------------------------------------------------------------------------

    /** What a test container runs and how. */
    protected record TaskSpec(List<String> args, boolean stdin, boolean terminal, Long memoryLimit) {
        static TaskSpec of(String... args) {
            return new TaskSpec(List.of(args), false, false, null);
        }

        TaskSpec stdin(boolean value) {
            return new TaskSpec(args, value, terminal, memoryLimit);
        }

        TaskSpec terminal(boolean value) {
            return new TaskSpec(args, stdin, value, memoryLimit);
        }

        TaskSpec memoryLimit(long bytes) {
            return new TaskSpec(args, stdin, terminal, bytes);
        }
    }

    private String nextId() {
        String id = "conf-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        ids.add(id);
        return id;
    }

    private Task create(TaskSpec spec) throws IOException {
        String id = nextId();
        Path bundle = bundle(id, spec);
        // stdin closes with the first attachment that ends, as CRI's stdinOnce
        IOConfig io = new IOConfig.Log(temp.resolve(id + ".log"), spec.stdin(), spec.stdin(), spec.terminal());
        return runtime.create(new CreateTaskRequest(id, bundle, rootfsMounts(), io));
    }

    private Task run(TaskSpec spec) throws IOException {
        Task task = create(spec);
        task.start();
        return task;
    }

    private Path logOf(Task task) {
        return temp.resolve(task.id() + ".log");
    }

    private List<Mount> rootfsMounts() {
        return List.of(new Mount("bind", image.toString(), List.of("rbind", "ro")));
    }

    private Path bundle(String id, TaskSpec spec) throws IOException {
        Path bundle = Files.createDirectories(temp.resolve("bundles").resolve(id));
        SpecBuilder builder = new SpecBuilder(id, new ImageConfig(null, null, List.of("PATH=/bin"), "/", null), ImageUsers.in(image),
                HostFacts.ofThisProcess())
                .command(spec.args())
                .terminal(spec.terminal())
                .readOnlyRootfs(true)
                .cgroupsPath(CGROUP_PARENT + id);
        if (spec.memoryLimit() != null) {
            builder.memoryLimitBytes(spec.memoryLimit());
        }
        Files.write(bundle.resolve("config.json"), builder.build().toJson());
        return bundle;
    }

    /** Execs a process as root in {@code /}, with a terminal when its IO has one. */
    private static Process exec(Task task, String execId, IOConfig io, String... args) throws IOException {
        return task.exec(new ExecRequest(execId, processSpec(io.terminal(), args), io));
    }

    private static String processSpec(boolean terminal, String... args) {
        String argv = String.join(",", Stream.of(args).map(arg -> '"' + arg + '"').toList());
        return """
                {"terminal": %s, "user": {"uid": 0, "gid": 0}, "args": [%s], "env": ["PATH=/bin"], "cwd": "/"}
                """.formatted(terminal, argv);
    }

    private void stop(Task task) throws Exception {
        task.kill(Signals.SIGKILL);
        await(task.waitFor());
        task.delete();
    }

    /**
     * No mount below the test's directory, no process naming one of its task ids, nothing named
     * after one in the runtime's state directory.
     */
    private void assertNothingLeft() throws IOException {
        try (Stream<Path> state = Files.walk(stateDir)) {
            List<Path> named = state.filter(path -> ids.contains(path.getFileName().toString())).toList();
            assertEquals(List.of(), named, "state left behind");
        }
        List<Path> mounts = MountTable.current().mounts().stream().map(MountTable.Mount::mountPoint)
                .filter(point -> point.startsWith(temp)).toList();
        assertEquals(List.of(), mounts, "mounts left behind");
        List<String> processes = new ArrayList<>();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            for (Path dir : proc.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                for (String id : ids) {
                    if (cmdline.contains(" " + id + " ") || cmdline.endsWith(" " + id + " ")) {
                        processes.add(dir.getFileName() + ": " + cmdline);
                    }
                }
            }
        }
        assertEquals(List.of(), processes, "processes left behind");
    }

    private static void removeCgroups() throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        try (Stream<Path> controllers = Files.list(root)) {
            for (Path parent : controllers.map(c -> c.resolve(CGROUP_PARENT.substring(1))).toList()) {
                if (Files.isDirectory(parent)) {
                    try (Stream<Path> children = Files.list(parent)) {
                        for (Path child : children.filter(Files::isDirectory).toList()) {
                            Files.deleteIfExists(child);
                        }
                    }
                    Files.deleteIfExists(parent);
                }
            }
        }
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Waits for something the runtime offers no notification of (a process count, a file
     * appearing), checking every 50 ms up to the timeout.
     */
    private static void awaitTrue(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.holds()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface Call {
        void call() throws Exception;
    }

    private static void assertCode(ErrorCode code, Call call) {
        HawserException error = assertThrows(HawserException.class, call::call);
        assertEquals(code, error.code(), error.getMessage());
    }

    /** Output read from an attachment, by stream. */
    protected record Output(String stdout, String stderr) {}

    private static Output readAll(Attachment attachment) throws Exception {
        return readUntil(attachment, out -> false);
    }

    /** Reads until the output satisfies the condition or ends, within the timeout. */
    private static Output readUntil(Attachment attachment, Predicate<Output> done) throws Exception {
        CompletableFuture<Output> result = new CompletableFuture<>();
        // a platform thread: a runtime's read may block in native code, which pins virtual threads
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            try {
                for (Chunk chunk = attachment.read(); chunk != null; chunk = attachment.read()) {
                    (chunk.stream() == Attachment.Stream.STDOUT ? out : err).append(new String(chunk.data(), StandardCharsets.UTF_8));
                    if (done.test(new Output(out.toString(), err.toString()))) {
                        break;
                    }
                }
                result.complete(new Output(out.toString(), err.toString()));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return await(result);
        } finally {
            reader.interrupt();
        }
    }
}
