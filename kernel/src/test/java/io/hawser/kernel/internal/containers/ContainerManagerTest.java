package io.hawser.kernel.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerConfig;
import io.hawser.containers.ProcessUser;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.events.EventProperties;
import io.hawser.events.Topics;
import io.hawser.host.MountTable;
import io.hawser.kernel.internal.StoreTestBase;
import io.hawser.kernel.internal.spec.Capability;
import io.hawser.kernel.internal.spec.HostFacts;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Process;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import io.hawser.snapshots.Mounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The container service on a real metadata database, with a fake runtime, a copying snapshotter
 * and a mounter that copies, so every step and every rollback can be checked without privileges;
 * {@link RealMountsContainerManagerTest} runs it all again with real mounts.
 */
class ContainerManagerTest extends StoreTestBase {

    static final String BUSYBOX = "docker.io/library/busybox:latest";
    private static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n";
    private static final String GROUP = "root:x:0:\napp:x:1000:\nwheel:x:10:app\naudio:x:29:app\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Posted(String topic, Map<String, Object> properties) {}

    @TempDir
    Path state;

    @TempDir
    Path snapshotRoot;

    private final FakeRuntime runc = new FakeRuntime();
    private RecordingMounter mounter;
    private final List<Posted> events = new CopyOnWriteArrayList<>();
    private CopySnapshotter overlay;
    private FakeImages images;
    private ContainerManager manager;
    private ContainerRecords records;

    @Override
    protected void openStores() throws IOException {
        if (overlay == null) {
            mounter = new RecordingMounter(baseMounter());
            overlay = new CopySnapshotter(snapshotRoot);
            images = new FakeImages(Map.of("overlay", overlay));
            images.add(BUSYBOX, """
                    {"Cmd": ["sh"], "Env": ["PATH=/bin", "A=image"], "StopSignal": "SIGQUIT",
                     "Labels": {"from": "image", "both": "image"}}""",
                    Map.of("etc/passwd", PASSWD, "etc/group", GROUP, "bin/sh", "#!"));
            images.add("bad-stop-signal", "{\"Cmd\": [\"sh\"], \"StopSignal\": \"SIGNOPE\"}", Map.of());
        }
        if (manager != null) {
            manager.close();
        }
        records = new ContainerRecords(metadata, clock);
        Files.writeString(root.resolve("host-resolv.conf"), "nameserver 192.0.2.53\n");
        manager = new ContainerManager(records, images, new FakeSnapshotters(Map.of("overlay", overlay), "overlay"),
                mounter, (topic, properties) -> events.add(new Posted(topic, Map.copyOf(properties))),
                new HostFacts(300, 1 << 20, EnumSet.allOf(Capability.class)),
                new ContainerFiles(root, state, root.resolve("host-resolv.conf")), "runc", Duration.ofSeconds(5), clock);
        manager.recover();
        manager.addRuntime("runc", runc);
        manager.reconcile("runc", runc);
    }

    /** What actually mounts: a copying fake here, the kernel's own in {@link RealMountsContainerManagerTest}. */
    protected Mounter baseMounter() {
        return new FakeMounter();
    }

    @AfterEach
    void closeManager() throws IOException {
        manager.close();
        assertNothingMounted();
    }

    /** Nothing the service mounted stays mounted, by its own account and by the kernel's mount table. */
    private void assertNothingMounted() throws IOException {
        assertTrue(mounter.mounted.isEmpty(), "left mounted: " + mounter.mounted);
        List<Path> points = MountTable.current().mounts().stream().map(MountTable.Mount::mountPoint)
                .filter(point -> point.startsWith(root) || point.startsWith(state) || point.startsWith(snapshotRoot)).toList();
        assertEquals(List.of(), points);
    }

    private ContainerConfig.Builder busybox() {
        return ContainerConfig.of("docker.io/library/busybox:latest");
    }

    // ---- create, find, list

    @Test
    void resolvesAUserInAnImageThroughItsFilesOnce() throws IOException {
        manager.create(busybox().user("app").build());
        int mounts = mounter.mounts.get();

        JsonNode spec = JSON.readTree(manager.create(busybox().user("app").build()).spec());
        assertEquals(mounts, mounter.mounts.get(), "the same user of the same image: nothing mounted to resolve it again");
        assertEquals(1000, spec.at("/process/user/uid").asInt());
        assertEquals("[10,29]", spec.at("/process/user/additionalGids").toString());
        JsonNode root = JSON.readTree(manager.create(busybox().user("root").build()).spec());
        assertEquals(mounts + 1, mounter.mounts.get(), "another user: resolved through the files");
        assertEquals(0, root.at("/process/user/uid").asInt());
    }

    @Test
    void createRecordsTheContainerWithItsSnapshotSpecAndFiles() throws IOException {
        Container container = manager.create(busybox().user("app").env(List.of("A=request")).labels(Map.of("both", "request"))
                .memoryLimit("64m").pidsLimit(20L).stdin(true).terminal(true).build());

        assertTrue(container.id().matches("[0-9a-f]{64}"), container.id());
        assertEquals("busybox-1", container.name());
        assertEquals(BUSYBOX, container.image());
        assertEquals("runc", container.runtime());
        assertEquals("overlay", container.snapshotter());
        assertEquals("container-" + container.id(), container.snapshotKey());
        assertEquals(root.resolve("containers").resolve(container.id()).resolve(container.id() + ".log"), container.logPath());
        assertEquals(Signals.parse("SIGQUIT"), container.stopSignal());
        assertEquals(Map.of("from", "image", "both", "request"), container.labels());
        assertTrue(container.stdin() && container.terminal() && !container.stdinOnce());
        assertEquals(container, manager.find(container.id()).orElseThrow());

        JsonNode spec = JSON.readTree(container.spec());
        assertEquals("sh", spec.at("/process/args/0").asText());
        assertEquals(1000, spec.at("/process/user/uid").asInt());
        assertEquals("[10,29]", spec.at("/process/user/additionalGids").toString());
        assertTrue(spec.at("/process/env").toString().contains("A=request"));
        assertEquals(64 << 20, spec.at("/linux/resources/memory/limit").asLong());
        assertEquals(20, spec.at("/linux/resources/pids/limit").asLong());
        // never below the daemon's own, which the kernel would refuse
        assertEquals(300, spec.at("/process/oomScoreAdj").asInt());
        assertEquals(container.id().substring(0, 12), spec.at("/hostname").asText());
        assertTrue(spec.at("/process/terminal").asBoolean());

        Path directory = root.resolve("containers").resolve(container.id());
        assertEquals("nameserver 192.0.2.53\n", Files.readString(directory.resolve("resolv.conf")));
        assertTrue(Files.readString(directory.resolve("hosts")).contains("127.0.0.1\t" + container.id().substring(0, 12)));
        assertTrue(spec.at("/mounts").toString().contains(directory.resolve("hosts").toString()));

        assertEquals(List.of(container.snapshotKey()), overlay.active());
        assertEquals(FakeImages.chain(images.find(BUSYBOX)), overlay.stat(container.snapshotKey()).parent());
        assertEquals(container.id(), overlay.stat(container.snapshotKey()).labels().get(ContainerManager.CONTAINER_LABEL));
        assertNothingMounted();
        assertEmpty(state.resolve("create"));

        Posted created = single(Topics.CONTAINER_CREATE);
        assertEquals(container.id(), created.properties().get(EventProperties.ID));
        assertEquals("runc", created.properties().get(EventProperties.RUNTIME));
        assertInstanceOf(Long.class, created.properties().get(EventProperties.TIMESTAMP));
    }

    @Test
    void generatedNamesTakeTheLowestFreeNumberAndChosenOnesAreKept() throws IOException {
        Container first = manager.create(busybox().build());
        Container second = manager.create(busybox().build());
        Container chosen = manager.create(busybox().name("web").build());
        assertEquals(List.of("busybox-1", "busybox-2", "web"), manager.list().stream().map(Container::name).toList());

        manager.remove(first.id(), false);
        assertEquals("busybox-1", manager.create(busybox().build()).name());
        assertEquals("busybox-3", manager.create(busybox().build()).name());
        assertEquals(chosen, manager.find("web").orElseThrow());
        assertEquals(second, manager.find("busybox-2").orElseThrow());
    }

    @Test
    void entrypointGivenClearsTheImageCommandAndCommandReplacesIt() throws IOException {
        JsonNode replaced = JSON.readTree(manager.create(busybox().command(List.of("echo", "hi")).build()).spec());
        assertEquals("[\"echo\",\"hi\"]", replaced.at("/process/args").toString());
        JsonNode entrypoint = JSON.readTree(manager.create(busybox().entrypoint(List.of("/bin/true")).build()).spec());
        assertEquals("[\"/bin/true\"]", entrypoint.at("/process/args").toString());
    }

    @Test
    void findTakesIdNameOrAnUnambiguousPrefix() throws IOException {
        Container a = manager.create(busybox().id("abc111").name("alpha").build());
        Container b = manager.create(busybox().id("abc222").name("beta").build());

        assertEquals(a, manager.find("abc111").orElseThrow());
        assertEquals(b, manager.find("beta").orElseThrow());
        assertEquals(b, manager.find("abc2").orElseThrow());
        assertTrue(manager.find("zzz").isEmpty());
        assertTrue(manager.find("").isEmpty());
        HawserException ambiguous = assertThrows(HawserException.class, () -> manager.find("abc"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, ambiguous.code());
        assertTrue(ambiguous.getMessage().contains("2 container ids"), ambiguous.getMessage());
        // a name wins over a prefix of another container's id
        Container named = manager.create(busybox().name("abc1").build());
        assertEquals(named, manager.find("abc1").orElseThrow());
    }

    // ---- failed creation leaves nothing

    static Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("unknown image", (Function<ContainerConfig.Builder, ContainerConfig>) b -> ContainerConfig.of("nope:1").build(),
                        ErrorCode.NOT_FOUND, "image nope:1"),
                Arguments.of("unknown runtime", bad(b -> b.runtime("kata")), ErrorCode.NOT_FOUND, "runtime kata (serving: runc;"),
                Arguments.of("unknown snapshotter", bad(b -> b.snapshotter("btrfs")), ErrorCode.NOT_FOUND, "snapshotter btrfs"),
                Arguments.of("bad memory", bad(b -> b.memoryLimit("12q")), ErrorCode.INVALID_ARGUMENT, "memory size '12q'"),
                Arguments.of("bad cpus", bad(b -> b.cpus("lots")), ErrorCode.INVALID_ARGUMENT, "cpus 'lots'"),
                Arguments.of("bad pids limit", bad(b -> b.pidsLimit(0L)), ErrorCode.INVALID_ARGUMENT, "pids limit 0"),
                Arguments.of("unknown user", bad(b -> b.user("nobody")), ErrorCode.INVALID_ARGUMENT, "user 'nobody'"),
                Arguments.of("unknown group", bad(b -> b.user("app:staff")), ErrorCode.INVALID_ARGUMENT, "group 'staff'"),
                Arguments.of("unknown capability", bad(b -> b.capAdd(List.of("FLY"))), ErrorCode.INVALID_ARGUMENT, "capability 'FLY'"),
                Arguments.of("relative workdir", bad(b -> b.workdir("tmp")), ErrorCode.INVALID_ARGUMENT, "working directory 'tmp'"),
                Arguments.of("bad environment", bad(b -> b.env(List.of("NOEQUALS"))), ErrorCode.INVALID_ARGUMENT, "'NOEQUALS'"),
                Arguments.of("bad host name", bad(b -> b.hostname("-x")), ErrorCode.INVALID_ARGUMENT, "host name '-x'"),
                Arguments.of("bad name", bad(b -> b.name("no/slash")), ErrorCode.INVALID_ARGUMENT, "container name 'no/slash'"),
                Arguments.of("bad id", bad(b -> b.id("../up")), ErrorCode.INVALID_ARGUMENT, "container id '../up'"),
                Arguments.of("bad stop signal", (Function<ContainerConfig.Builder, ContainerConfig>) b -> ContainerConfig.of("bad-stop-signal").build(),
                        ErrorCode.INVALID_ARGUMENT, "StopSignal 'SIGNOPE'"),
                Arguments.of("relative log path", bad(b -> b.logPath(Path.of("logs/x.log"))), ErrorCode.INVALID_ARGUMENT,
                        "log path 'logs/x.log' must be absolute"),
                Arguments.of("duplicate name", bad(b -> b.name("taken")), ErrorCode.ALREADY_EXISTS, "container name taken"),
                Arguments.of("duplicate id", bad(b -> b.id("takenid")), ErrorCode.ALREADY_EXISTS, "container takenid"));
    }

    private static Function<ContainerConfig.Builder, ContainerConfig> bad(Function<ContainerConfig.Builder, ContainerConfig.Builder> change) {
        return builder -> change.apply(builder).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aFailedCreationNamesTheProblemAndLeavesNothing(String what, Function<ContainerConfig.Builder, ContainerConfig> request,
            ErrorCode code, String message) throws IOException {
        Container existing = manager.create(busybox().id("takenid").name("taken").build());
        events.clear();

        HawserException failure = assertThrows(HawserException.class, () -> manager.create(request.apply(busybox())));
        assertEquals(code, failure.code(), failure.getMessage());
        assertTrue(failure.getMessage().contains(message), failure.getMessage());
        assertLeftOnly(existing);
    }

    @Test
    void aMountFailureLeavesNothing() throws IOException {
        mounter.failMount = new IOException("mount overlay: no space");
        IOException failure = assertThrows(IOException.class, () -> manager.create(busybox().build()));
        assertEquals("mount overlay: no space", failure.getMessage());
        assertLeftOnly();
    }

    @Test
    void aRaceForTheNameIsLostWithoutLeftovers() throws IOException {
        // a record inserted behind the service's back, between its checks and its insert
        Container other = manager.create(busybox().name("late").build());
        ContainerRecords racing = new ContainerRecords(metadata, clock) {
            @Override
            public java.util.Optional<Container> byName(String name) {
                return java.util.Optional.empty();
            }
        };
        manager.close();
        manager = new ContainerManager(racing, images, new FakeSnapshotters(Map.of("overlay", overlay), "overlay"), mounter,
                (topic, properties) -> events.add(new Posted(topic, properties)), new HostFacts(0, 1024, EnumSet.allOf(Capability.class)),
                new ContainerFiles(root, state, root.resolve("host-resolv.conf")), "runc", Duration.ofSeconds(5), clock);
        manager.addRuntime("runc", runc);
        events.clear();

        HawserException failure = assertThrows(HawserException.class, () -> manager.create(busybox().name("late").build()));
        assertEquals(ErrorCode.ALREADY_EXISTS, failure.code());
        assertLeftOnly(other);
    }

    /** Only these containers exist, with their snapshots and files, nothing is mounted and no creation was announced. */
    private void assertLeftOnly(Container... containers) throws IOException {
        List<String> ids = Stream.of(containers).map(Container::id).sorted().toList();
        assertEquals(ids, manager.list().stream().map(Container::id).sorted().toList());
        assertEquals(Stream.of(containers).map(Container::snapshotKey).sorted().toList(), overlay.active());
        try (Stream<Path> directories = Files.list(root.resolve("containers"))) {
            assertEquals(ids, directories.map(path -> path.getFileName().toString()).sorted().toList());
        } catch (java.nio.file.NoSuchFileException e) {
            assertEquals(List.of(), ids);
        }
        assertNothingMounted();
        assertEmpty(state.resolve("create"));
        assertTrue(events.stream().noneMatch(event -> event.topic().equals(Topics.CONTAINER_CREATE)), events.toString());
    }

    // ---- tasks

    @Test
    void createTaskWritesTheBundleAndHandsTheRuntimeTheSnapshotAndLog() throws IOException {
        Container container = manager.create(busybox().stdin(true).stdinOnce(true).build());
        Task task = manager.createTask(container.id());

        Path bundle = state.resolve("bundles").resolve(container.id());
        assertEquals(container.spec(), Files.readString(bundle.resolve("config.json")));
        assertTrue(Files.isDirectory(bundle.resolve("rootfs")));
        var request = runc.requests.getLast();
        assertEquals(bundle, request.bundle());
        assertEquals(overlay.mounts(container.snapshotKey()), request.rootfs());
        assertEquals(new IOConfig.Log(container.logPath(), true, true, false), request.io());
        assertTrue(Files.isDirectory(container.logPath().getParent()));
        assertEquals(TaskState.Status.CREATED, task.state().status());
        assertEquals(container.id(), single(Topics.TASK_CREATE).properties().get(EventProperties.CONTAINER_ID));
        assertEquals(1001L, single(Topics.TASK_CREATE).properties().get(EventProperties.PID));

        HawserException again = assertThrows(HawserException.class, () -> manager.createTask(container.id()));
        assertEquals(ErrorCode.FAILED_PRECONDITION, again.code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> manager.createTask("nope")).code());
    }

    @Test
    void anExecsUserIsResolvedInTheRunningRootFilesystem() throws IOException {
        Container container = manager.create(busybox().build());
        Task task = manager.createTask(container.id());
        HawserException notRunning = assertThrows(HawserException.class, () -> manager.resolveUser(container.id(), "app"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, notRunning.code());
        task.start();
        // what the runtime mounted there: the container's files, changed since the image
        Path etc = Files.createDirectories(state.resolve("bundles").resolve(container.id()).resolve("rootfs/etc"));
        Files.writeString(etc.resolve("passwd"), PASSWD + "late:x:2000:2000::/home/late:/bin/sh\n");
        Files.writeString(etc.resolve("group"), GROUP + "late:x:2000:\nstaff:x:50:late\n");

        assertEquals(new ProcessUser(1000, 1000, List.of(10L, 29L)), manager.resolveUser(container.id(), "app"));
        assertEquals(new ProcessUser(2000, 2000, List.of(50L)), manager.resolveUser(container.id(), "late"));
        assertEquals(new ProcessUser(2000, 29, List.of(50L)), manager.resolveUser(container.id(), "late:audio"));
        assertEquals(new ProcessUser(4321, 0, List.of()), manager.resolveUser(container.id(), "4321"));
        HawserException unknown = assertThrows(HawserException.class, () -> manager.resolveUser(container.id(), "nosuch"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().contains("'nosuch'"), unknown.getMessage());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> manager.resolveUser("nope", "app")).code());
    }

    @Test
    void aRuntimeFailureRemovesTheBundle() throws IOException {
        Container container = manager.create(busybox().build());
        runc.failCreate = new IOException("runc create: exec: \"sh\": executable file not found in $PATH");

        IOException failure = assertThrows(IOException.class, () -> manager.createTask(container.id()));
        assertTrue(failure.getMessage().contains("executable file not found"));
        assertFalse(Files.exists(state.resolve("bundles").resolve(container.id())));
        assertTrue(manager.task(container.id()).isEmpty());
        assertTrue(events.stream().noneMatch(event -> event.topic().equals(Topics.TASK_CREATE)));
    }

    @Test
    void anUnavailableRuntimeIsNamedWithThoseServing() throws IOException {
        Container container = manager.create(busybox().build());
        manager.removeRuntime("runc", runc);
        HawserException failure = assertThrows(HawserException.class, () -> manager.createTask(container.id()));
        assertEquals(ErrorCode.NOT_FOUND, failure.code());
        assertTrue(failure.getMessage().startsWith("runtime runc (serving: none;"), failure.getMessage());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> manager.create(busybox().build())).code());
    }

    @Test
    void theTaskPublishesWhatIsDoneThroughItAndItsExitOnce() throws IOException {
        Container container = manager.create(busybox().build());
        Task task = manager.createTask(container.id());
        task.start();
        assertEquals(1001L, single(Topics.TASK_START).properties().get(EventProperties.PID));
        task.pause();
        task.resume();
        single(Topics.TASK_PAUSED);
        single(Topics.TASK_RESUMED);

        Process exec = task.exec(new ExecRequest("probe", "{\"args\":[\"true\"]}", new IOConfig.Discard()));
        Posted started = single(Topics.TASK_EXEC_STARTED);
        assertEquals("probe", started.properties().get(EventProperties.EXEC_ID));
        ((FakeTask.FakeExec) exec).exited.complete(ExitStatus.exited(3, Instant.EPOCH));
        Posted execExit = await(Topics.TASK_EXIT, event -> "probe".equals(event.properties().get(EventProperties.EXEC_ID)));
        assertEquals(3, execExit.properties().get(EventProperties.EXIT_STATUS));

        runc.tasks.get(container.id()).oomKilled.complete(null);
        await(Topics.TASK_OOM, event -> true);
        runc.tasks.get(container.id()).exit(ExitStatus.killed(9, Instant.parse("2026-01-01T00:00:01.000000123Z"), true));
        Posted exit = await(Topics.TASK_EXIT, event -> !event.properties().containsKey(EventProperties.EXEC_ID));
        assertEquals(137, exit.properties().get(EventProperties.EXIT_STATUS));
        assertEquals(1_767_225_601_000_000_123L, exit.properties().get(EventProperties.EXITED_AT));
        assertEquals(true, exit.properties().get(EventProperties.OOM_KILLED));
        assertEquals(1001L, exit.properties().get(EventProperties.PID));

        assertEquals(137, manager.deleteTask(container.id()).code());
        assertEquals(1, events.stream().filter(event -> event.topic().equals(Topics.TASK_EXIT)
                && !event.properties().containsKey(EventProperties.EXEC_ID)).count(), "one exit: " + events);
        assertEquals(137, single(Topics.TASK_DELETE).properties().get(EventProperties.EXIT_STATUS));
    }

    @Test
    void anExitAsQuickAsTheStartIsAnnouncedAfterIt() throws IOException {
        runc.exitOnStart = true;
        for (int i = 0; i < 20; i++) {
            Container container = manager.create(busybox().build());
            manager.createTask(container.id()).start();
            await(Topics.TASK_EXIT, event -> container.id().equals(event.properties().get(EventProperties.ID)));
            List<String> order = events.stream().filter(event -> container.id().equals(event.properties().get(EventProperties.ID)))
                    .map(Posted::topic).toList();
            assertEquals(List.of(Topics.CONTAINER_CREATE, Topics.TASK_CREATE, Topics.TASK_START, Topics.TASK_EXIT), order);
        }
    }

    @Test
    void deleteTaskRefusesARunningTaskThenRemovesTheBundle() throws IOException {
        Container container = manager.create(busybox().build());
        Task task = manager.createTask(container.id());
        task.start();
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(HawserException.class, () -> manager.deleteTask(container.id())).code());

        runc.tasks.get(container.id()).exit(7);
        // deleting through the handle goes through the service too
        assertEquals(7, task.delete().code());
        assertFalse(Files.exists(state.resolve("bundles").resolve(container.id())));
        assertTrue(manager.task(container.id()).isEmpty());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> manager.deleteTask(container.id())).code());
        assertEquals(7, single(Topics.TASK_EXIT).properties().get(EventProperties.EXIT_STATUS));

        // a new task: its exit is announced again
        manager.createTask(container.id()).start();
        runc.tasks.get(container.id()).exit(0);
        manager.deleteTask(container.id());
        assertEquals(2, events.stream().filter(event -> event.topic().equals(Topics.TASK_EXIT)).count());
    }

    // ---- removal

    @Test
    void removeRefusesARunningContainerUnlessForced() throws IOException {
        Container container = manager.create(busybox().build());
        manager.createTask(container.id()).start();

        HawserException running = assertThrows(HawserException.class, () -> manager.remove(container.id(), false));
        assertEquals(ErrorCode.FAILED_PRECONDITION, running.code());
        assertTrue(running.getMessage().contains("is running"), running.getMessage());
        assertTrue(manager.find(container.id()).isPresent());
        assertEquals(List.of(container.snapshotKey()), overlay.active());

        manager.remove(container.id(), true);
        assertEquals(List.of(container.id() + ":9:all"), runc.signals);
        assertTrue(runc.tasks.isEmpty());
        assertTrue(manager.find(container.id()).isEmpty());
        assertEquals(List.of(), overlay.active());
        assertFalse(Files.exists(state.resolve("bundles").resolve(container.id())));
        assertFalse(Files.exists(root.resolve("containers").resolve(container.id())));
        assertEquals(List.of(Topics.CONTAINER_CREATE, Topics.TASK_CREATE, Topics.TASK_START, Topics.TASK_EXIT,
                Topics.TASK_DELETE, Topics.CONTAINER_DELETE), topics());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> manager.remove(container.id(), true)).code());
    }

    @Test
    void forcedRemovalOfAPausedTaskThawsItSoTheKillLands() throws IOException {
        Container container = manager.create(busybox().build());
        Task task = manager.createTask(container.id());
        task.start();
        task.pause();
        manager.remove(container.id(), true);
        assertTrue(runc.tasks.isEmpty());
        assertTrue(manager.list().isEmpty());
    }

    @Test
    void aContainerWithACreatedTaskOrNoneIsRemovedWithoutForce() throws IOException {
        Container created = manager.create(busybox().build());
        manager.createTask(created.id());
        Container idle = manager.create(busybox().build());
        manager.remove(created.id(), false);
        manager.remove(idle.id(), false);
        assertTrue(manager.list().isEmpty());
        assertTrue(runc.tasks.isEmpty());
        assertEquals(List.of(), overlay.active());
    }

    @Test
    void withoutItsRuntimeAContainerIsRemovedOnlyByForce() throws IOException {
        Container container = manager.create(busybox().build());
        manager.removeRuntime("runc", runc);
        assertEquals(ErrorCode.FAILED_PRECONDITION, assertThrows(HawserException.class, () -> manager.remove(container.id(), false)).code());
        manager.remove(container.id(), true);
        assertTrue(manager.list().isEmpty());
        assertEquals(List.of(), overlay.active());
    }

    // ---- restart

    @Test
    void aRestartWatchesRunningTasksAgainAndAnnouncesExitsThatHappenedMeanwhileOnce() throws IOException {
        Container running = manager.create(busybox().name("running").build());
        manager.createTask(running.id()).start();
        Container exited = manager.create(busybox().name("exited").build());
        manager.createTask(exited.id()).start();

        // the daemon dies; meanwhile one task ends
        manager.close();
        runc.tasks.get(exited.id()).exit(42);
        events.clear();
        restart();
        Posted exit = await(Topics.TASK_EXIT, event -> true);
        assertEquals(exited.id(), exit.properties().get(EventProperties.ID));
        assertEquals(42, exit.properties().get(EventProperties.EXIT_STATUS));

        events.clear();
        restart();
        assertTrue(manager.task(running.id()).isPresent());
        runc.tasks.get(running.id()).exit(0);
        Posted later = await(Topics.TASK_EXIT, event -> true);
        assertEquals(running.id(), later.properties().get(EventProperties.ID));
        assertEquals(1, topics().stream().filter(Topics.TASK_EXIT::equals).count(), "the earlier exit is not announced again: " + events);
        assertEquals(42, manager.deleteTask(exited.id()).code());
    }

    @Test
    void anOomKillSeenAgainAfterARestartIsAnnouncedOncePerTask() throws IOException {
        Container container = manager.create(busybox().build());
        manager.createTask(container.id()).start();
        manager.close();
        runc.tasks.get(container.id()).oomKilled.complete(null);
        restart();
        await(Topics.TASK_OOM, event -> true);
        restart();
        runc.tasks.get(container.id()).exit(ExitStatus.killed(9, Instant.EPOCH, true));
        await(Topics.TASK_EXIT, event -> true);
        assertEquals(1, topics().stream().filter(Topics.TASK_OOM::equals).count(), events.toString());

        // the next task of the container may be killed again, and that is announced
        manager.deleteTask(container.id());
        manager.createTask(container.id()).start();
        runc.tasks.get(container.id()).oomKilled.complete(null);
        await(Topics.TASK_OOM, event -> events.stream().filter(e -> e.topic().equals(Topics.TASK_OOM)).count() == 2);
    }

    @Test
    void tasksOfNoRecordedContainerOrSandboxAreKilledAndDeleted() throws IOException {
        Container kept = manager.create(busybox().build());
        manager.createTask(kept.id()).start();
        FakeRuntime other = new FakeRuntime();
        other.create(new io.hawser.runtime.CreateTaskRequest("orphan", state.resolve("bundles/orphan"), List.of(), new IOConfig.Discard())).start();
        other.create(new io.hawser.runtime.CreateTaskRequest("pod1", state.resolve("bundles/pod1"), List.of(), new IOConfig.Discard())).start();
        metadata.transaction(connection -> connection.createStatement().executeUpdate(
                "INSERT INTO sandboxes (id, runtime, created, updated) VALUES ('pod1', 'other', 0, 0)"));
        Files.createDirectories(state.resolve("bundles/orphan/rootfs"));

        manager.addRuntime("other", other);
        manager.reconcile("other", other);
        assertEquals(List.of("orphan:9:all"), other.signals);
        assertEquals(List.of("pod1"), other.tasks().stream().map(Task::id).toList());
        assertFalse(Files.exists(state.resolve("bundles/orphan")));
        assertTrue(mounter.detached.contains(state.resolve("bundles/orphan")));
        assertEquals(TaskState.Status.RUNNING, runc.tasks.get(kept.id()).state().status());
    }

    @Test
    void recoveryRemovesBundlesWithoutRecordsAndLeftoverCreationMounts() throws IOException {
        Container container = manager.create(busybox().build());
        manager.createTask(container.id());
        Path stale = Files.createDirectories(state.resolve("bundles/deadbeef/rootfs"));
        Path staleFiles = Files.createDirectories(root.resolve("containers/deadbeef"));
        Path scratch = Files.createDirectories(state.resolve("create/cafe"));
        restart();
        assertFalse(Files.exists(stale.getParent()));
        assertFalse(Files.exists(staleFiles));
        assertTrue(Files.exists(root.resolve("containers").resolve(container.id()).resolve("hosts")));
        assertFalse(Files.exists(scratch));
        assertTrue(mounter.detached.contains(state.resolve("create")));
        assertTrue(Files.exists(state.resolve("bundles").resolve(container.id()).resolve("config.json")));
    }

    @Test
    void snapshotsOfCreationsThatDidNotFinishGoOnTheSnapshottersFirstUse() throws IOException {
        Container kept = manager.create(busybox().build());
        overlay.prepare("container-abandoned", "", Map.of(ContainerManager.CONTAINER_LABEL, "abandoned"));
        overlay.prepare("unrelated", "", Map.of());
        restart();
        assertEquals(List.of("container-abandoned", kept.snapshotKey(), "unrelated").stream().sorted().toList(), overlay.active());
        Container created = manager.create(busybox().build());
        assertEquals(List.of(kept.snapshotKey(), created.snapshotKey(), "unrelated").stream().sorted().toList(), overlay.active());
    }

    @Test
    void theImagesOfContainersAreGarbageCollectionRoots() throws IOException {
        Container container = manager.create(busybox().build());
        manager.create(busybox().build());
        var target = images.find(BUSYBOX).target();
        assertEquals(List.of(new io.hawser.kernel.internal.gc.Root(target.digest(), target.mediaType())), records.imageRoots());
        manager.remove(container.id(), false);
        assertEquals(1, records.imageRoots().size());
    }

    // ---- helpers

    private List<String> topics() {
        return events.stream().map(Posted::topic).toList();
    }

    private Posted single(String topic) {
        List<Posted> matching = events.stream().filter(event -> event.topic().equals(topic)).toList();
        assertEquals(1, matching.size(), topic + " in " + events);
        return matching.getFirst();
    }

    /** Waits for an event published from a watcher's virtual thread. */
    private Posted await(String topic, Predicate<Posted> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (Posted event : events) {
                if (event.topic().equals(topic) && match.test(event)) {
                    return event;
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no " + topic + " in " + events);
    }

    private static void assertEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> entries = Files.list(directory)) {
                assertEquals(List.of(), entries.toList());
            }
        }
    }

    @Test
    void idsAreFreshEachTime() throws IOException {
        assertNotEquals(manager.create(busybox().build()).id(), manager.create(busybox().build()).id());
    }
}
