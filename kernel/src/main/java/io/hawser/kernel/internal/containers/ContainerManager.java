package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.containers.BindMount;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerConfig;
import io.hawser.containers.ContainerService;
import io.hawser.containers.DeviceMapping;
import io.hawser.containers.Namespaces;
import io.hawser.containers.ProcessUser;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.events.EventProperties;
import io.hawser.events.Topics;
import io.hawser.images.Image;
import io.hawser.images.Reference;
import io.hawser.kernel.internal.spec.CpuLimit;
import io.hawser.kernel.internal.spec.HostDevices;
import io.hawser.kernel.internal.spec.HostFacts;
import io.hawser.kernel.internal.spec.ImageConfig;
import io.hawser.kernel.internal.spec.ImageUsers;
import io.hawser.kernel.internal.spec.MemorySize;
import io.hawser.kernel.internal.spec.RuntimeSpec;
import io.hawser.kernel.internal.spec.SeccompChoice;
import io.hawser.kernel.internal.spec.SpecBuilder;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Ids;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;

/**
 * The container service: records in the metadata database, root filesystems from the
 * snapshotters, tasks from the runtimes, events for all of it.
 *
 * <p>Runtimes come and go with their plugins ({@link #addRuntime}, {@link #removeRuntime}). When
 * one arrives its tasks are matched with the records: a task of a recorded container is watched
 * again (its exit announced if it ended meanwhile, once), a task nobody recorded is killed and
 * deleted, since nothing could ever manage it. The exit of every watched task is announced with
 * {@code hawser/tasks/exit}; whether it was is kept in the record, so a restart announces an exit
 * it finds in a shim's exit file only when no one did before.
 *
 * <p>Operations on one container hold its lock, so a removal cannot run through a task creation;
 * different containers proceed in parallel.
 */
public class ContainerManager implements ContainerService, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ContainerManager.class.getName());

    /** Label on a container's snapshot naming it, so {@code snapshots ls} tells whose it is. */
    static final String CONTAINER_LABEL = "hawser.io/container";

    /**
     * Snapshot keys of containers start with this: keys share one namespace with the chain IDs of
     * layers and the unpacker's own prefix, which an id chosen by a user could otherwise hit.
     */
    static final String SNAPSHOT_PREFIX = "container-";

    private static final int ID_BYTES = 32;
    private static final int HOSTNAME_ID_CHARS = 12;

    private final ContainerRecords records;
    private final Images images;
    private final Snapshotters snapshotters;
    private final Mounter mounter;
    private final EventSink events;
    private final HostFacts host;
    private final ContainerFiles files;
    private final String defaultRuntime;
    private final Duration killTimeout;
    private final Clock clock;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Runtime> runtimes = new ConcurrentHashMap<>();
    private final Map<String, ManagedTask> watched = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Set<String> swept = new HashSet<>();
    private final ResolvedUsers resolvedUsers = new ResolvedUsers();
    /**
     * Runs announcements: an exit's writes the database, which is not for the runtime's thread that
     * completed the wait. It never refuses work, since a refusal would be thrown into that thread.
     */
    private final Executor announcers = Thread.ofVirtual().name("container-events")::start;
    private volatile boolean closed;
    private final Object announcing = new Object();

    /**
     * @param defaultRuntime the runtime handler of requests that name none
     * @param killTimeout    how long a forced removal waits for a killed task to exit
     */
    public ContainerManager(ContainerRecords records, Images images, Snapshotters snapshotters, Mounter mounter,
            EventSink events, HostFacts host, ContainerFiles files, String defaultRuntime, Duration killTimeout, Clock clock) {
        this.records = records;
        this.images = images;
        this.snapshotters = snapshotters;
        this.mounter = mounter;
        this.events = events;
        this.host = host;
        this.files = files;
        this.defaultRuntime = defaultRuntime;
        this.killTimeout = killTimeout;
        this.clock = clock;
    }

    /**
     * Clears what a daemon that died left behind: mounts of containers being created, and the task
     * bundles and container directories of containers that have no record. Called once, before
     * any runtime is added and any container created. (Their snapshots go when their snapshotter
     * is first used, see {@link #sweptSnapshotter}.)
     */
    public void recover() throws IOException {
        ContainerFiles.removeTree(mounter, files.scratch());
        for (Path directory : List.of(files.bundles(), files.containers())) {
            for (String id : ContainerFiles.entries(directory)) {
                if (records.get(id).isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "removing " + directory.resolve(id) + ", left by a container that has no record");
                    ContainerFiles.removeTree(mounter, directory.resolve(id));
                }
            }
        }
    }

    /**
     * The snapshotter, after removing the snapshots of containers that have no record, which a
     * daemon that died during a creation leaves. Done on a snapshotter's first use rather than at
     * start, since snapshotters open their storage on first use; done before any creation on it
     * prepares a snapshot, so a creation in progress is never mistaken for an abandoned one.
     */
    private synchronized Snapshotter sweptSnapshotter(String id) throws IOException {
        Snapshotter snapshotter = snapshotters.get(id);
        if (swept.add(id)) {
            List<SnapshotInfo> abandoned = new ArrayList<>();
            snapshotter.walk(info -> info.kind() == Kind.ACTIVE && info.labels().containsKey(CONTAINER_LABEL), abandoned::add);
            for (SnapshotInfo info : abandoned) {
                if (records.get(info.labels().get(CONTAINER_LABEL)).isEmpty()) {
                    LOG.log(System.Logger.Level.INFO, "removing snapshot " + info.name() + " of snapshotter " + id
                            + ", left by a container creation that did not finish");
                    removeSnapshot(snapshotter, info.name());
                }
            }
        }
        return snapshotter;
    }

    /** A runtime plugin arrived: its handler is served from now on. */
    public void addRuntime(String handler, Runtime runtime) {
        runtimes.put(handler, runtime);
    }

    /**
     * Matches a runtime's tasks with the records, after it arrived: tasks of recorded containers
     * are watched again, tasks of no container or sandbox are killed and deleted.
     *
     * @throws IOException when its tasks cannot be listed or the records read
     */
    public void reconcile(String handler, Runtime runtime) throws IOException {
        for (Task task : runtime.tasks()) {
            // under the container's lock, so a removal in progress is not taken for an orphan
            locked(task.id(), () -> {
                Optional<Container> container = records.get(task.id());
                if (container.isPresent()) {
                    if (container.get().runtime().equals(handler)) {
                        watch(container.get(), task);
                    }
                } else if (!records.owns(task.id())) {
                    removeOrphan(handler, task);
                }
                return null;
            });
        }
    }

    /** A runtime plugin left: its handler is unavailable and its task handles are stale. */
    public void removeRuntime(String handler, Runtime runtime) {
        if (runtimes.remove(handler, runtime)) {
            watched.values().removeIf(task -> task.container().runtime().equals(handler));
        }
    }

    /** Stops announcing; tasks keep running in their shims and are watched again by the next service. */
    @Override
    public void close() {
        closed = true;
        watched.clear();
    }

    @Override
    public Container create(ContainerConfig config) throws IOException {
        String id = config.id() != null ? checkId(config.id()) : newId();
        String name = config.name() != null ? ContainerRecords.checkName(config.name()) : "";
        String handler = orDefault(config.runtime(), defaultRuntime);
        runtime(handler);
        String snapshotterId = orDefault(config.snapshotter(), snapshotters.defaultId());
        Snapshotter snapshotter = sweptSnapshotter(snapshotterId);
        Long memory = config.memoryLimit() == null ? null : MemorySize.parseBytes(config.memoryLimit());
        CpuLimit cpus = config.cpus() == null ? null : CpuLimit.ofCpus(config.cpus());
        if (config.pidsLimit() != null && config.pidsLimit() <= 0) {
            throw HawserException.invalidArgument("pids limit " + config.pidsLimit() + " must be positive");
        }
        if (config.logPath() != null && !config.logPath().isAbsolute()) {
            throw HawserException.invalidArgument("log path '" + config.logPath() + "' must be absolute");
        }
        SeccompChoice seccomp = SeccompChoice.parse(config.seccompProfile());
        List<RuntimeSpec.Mount> binds = bindMounts(config.mounts());
        List<RuntimeSpec.Device> devices = new ArrayList<>();
        for (DeviceMapping device : config.devices()) {
            devices.add(HostDevices.describe(device.hostPath(), device.containerPath()));
        }
        Image image = images.find(config.image());
        if (records.get(id).isPresent()) {
            throw HawserException.alreadyExists("container " + id);
        }
        if (!name.isEmpty() && records.byName(name).isPresent()) {
            throw HawserException.alreadyExists("container name " + name);
        }
        JsonNode imageConfig = images.config(image);
        ImageConfig runConfig = runConfig(ImageConfig.fromImageConfig(imageConfig), config);
        int stopSignal = stopSignal(imageConfig, image);
        Map<String, String> labels = new LinkedHashMap<>(imageLabels(imageConfig));
        labels.putAll(config.labels());
        String parent = images.unpack(image, snapshotterId);
        String hostname = config.hostname() != null ? config.hostname() : defaultHostname(id);
        Path logPath = config.logPath() != null ? config.logPath() : files.defaultLog(id);
        String key = SNAPSHOT_PREFIX + id;

        Deque<Undo> undo = new ArrayDeque<>();
        try {
            List<Mount> mounts = snapshotter.prepare(key, parent, Map.of(CONTAINER_LABEL, id));
            undo.push(() -> snapshotter.remove(key));
            undo.push(() -> ContainerFiles.removeTree(mounter, files.container(id)));
            Set<String> given = binds.stream().map(RuntimeSpec.Mount::destination).collect(Collectors.toSet());
            List<RuntimeSpec.Mount> etc = files.writeEtcFiles(id, hostname, config.readOnlyRootfs(), given);
            List<RuntimeSpec.Mount> extra = new ArrayList<>(etc);
            extra.addAll(binds);
            String spec = buildSpec(id, runConfig, config, hostname, memory, cpus, seccomp, extra, devices, snapshotterId, parent, mounts);
            Container stored = records.insert(new Container(id, name, image.name(), handler, snapshotterId, key, spec,
                    logPath, config.stdin(), config.stdinOnce(), config.terminal(), stopSignal, labels, clock.instant()),
                    image.target(), nameBase(image.name()));
            Map<String, Object> properties = properties(stored.id());
            properties.put(EventProperties.RUNTIME, handler);
            properties.put(EventProperties.SNAPSHOTTER, snapshotterId);
            events.post(Topics.CONTAINER_CREATE, properties);
            return stored;
        } catch (IOException | RuntimeException e) {
            undoAll(undo, e);
            throw e;
        }
    }

    /**
     * The container's spec. Its user is resolved through the image's own files: the new snapshot is
     * mounted for a moment, unless the same user was resolved in the same image before.
     */
    private String buildSpec(String id, ImageConfig image, ContainerConfig config, String hostname, Long memory,
            CpuLimit cpus, SeccompChoice seccomp, List<RuntimeSpec.Mount> extraMounts, List<RuntimeSpec.Device> devices,
            String snapshotterId, String parent, List<Mount> rootfs)
            throws IOException {
        ImageUsers.Resolver users = user -> resolvedUsers.resolve(snapshotterId, parent, user, () -> resolveMounted(id, rootfs, user));
        SpecBuilder builder = new SpecBuilder(id, image, users, host)
                .command(config.command())
                .env(config.env())
                .workdir(config.workdir())
                .user(config.user())
                .hostname(hostname)
                .terminal(config.terminal())
                .readOnlyRootfs(config.readOnlyRootfs())
                .capAdd(config.capAdd())
                .capDrop(config.capDrop())
                .privileged(config.privileged())
                .noNewPrivileges(config.noNewPrivileges())
                .seccomp(seccomp);
        if (memory != null) {
            builder.memoryLimitBytes(memory);
        }
        if (cpus != null) {
            builder.cpus(cpus);
        }
        if (config.pidsLimit() != null) {
            builder.pidsLimit(config.pidsLimit());
        }
        extraMounts.forEach(builder::mount);
        isolate(builder, id, config, extraMounts, devices);
        return new String(builder.build().toJson(), StandardCharsets.UTF_8);
    }

    /** Resolves a user through the files of a container's root filesystem, mounted for the purpose. */
    private ImageUsers.ResolvedUser resolveMounted(String id, List<Mount> rootfs, String user) throws IOException {
        Path target = Files.createDirectories(files.scratch().resolve(id));
        try {
            return mounter.withMounted(rootfs, target, root -> ImageUsers.resolve(root, user));
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** The settings of a container's isolation beyond the image: namespaces, devices, cgroup, security. */
    private static void isolate(SpecBuilder builder, String id, ContainerConfig config, List<RuntimeSpec.Mount> mounts,
            List<RuntimeSpec.Device> devices) {
        Namespaces namespaces = config.namespaces();
        namespace(builder, "network", namespaces.network());
        namespace(builder, "ipc", namespaces.ipc());
        namespace(builder, "uts", namespaces.uts());
        namespace(builder, "pid", namespaces.pid());
        for (int i = 0; i < devices.size(); i++) {
            builder.device(devices.get(i), config.devices().get(i).permissions());
        }
        builder.supplementalGroups(config.supplementalGroups())
                .resources(config.resources())
                .sysctls(config.sysctls())
                .annotations(config.annotations());
        if (config.cgroupParent() != null) {
            builder.cgroupsPath(stripTrailingSlash(config.cgroupParent()) + "/" + id);
        }
        if (config.oomScoreAdj() != null) {
            builder.oomScoreAdj(config.oomScoreAdj());
        }
        if (config.maskedPaths() != null) {
            builder.maskedPaths(config.maskedPaths());
        }
        if (config.readonlyPaths() != null) {
            builder.readonlyPaths(config.readonlyPaths());
        }
        // a mount that propagates needs the root mount to propagate the same way (rshared wins)
        List<String> options = mounts.stream().flatMap(mount -> mount.options().stream()).toList();
        if (options.contains("rshared")) {
            builder.rootfsPropagation("rshared");
        } else if (options.contains("rslave")) {
            builder.rootfsPropagation("rslave");
        }
    }

    private static void namespace(SpecBuilder builder, String type, Namespaces.Mode mode) {
        switch (mode.kind()) {
            case PRIVATE -> { }
            case HOST -> builder.hostNamespace(type);
            case JOIN -> builder.joinNamespace(type, mode.path().toString());
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The bind mounts of a request as the runtime specification lists them; each source must exist. */
    private static List<RuntimeSpec.Mount> bindMounts(List<BindMount> binds) throws HawserException {
        List<RuntimeSpec.Mount> mounts = new ArrayList<>();
        for (BindMount bind : binds) {
            if (!bind.destination().startsWith("/")) {
                throw HawserException.invalidArgument("mount destination '" + bind.destination() + "' must be an absolute path");
            }
            if (!bind.source().isAbsolute() || !Files.exists(bind.source())) {
                throw HawserException.invalidArgument("mount source " + bind.source() + " for " + bind.destination()
                        + " does not exist on the host");
            }
            String propagation = switch (bind.propagation()) {
                case PRIVATE -> "rprivate";
                case HOST_TO_CONTAINER -> "rslave";
                case BIDIRECTIONAL -> "rshared";
            };
            mounts.add(new RuntimeSpec.Mount(bind.destination(), "bind", bind.source().toString(),
                    List.of("rbind", propagation, bind.readOnly() ? "ro" : "rw")));
        }
        return mounts;
    }

    @Override
    public Optional<Container> find(String idOrName) throws IOException {
        return records.find(idOrName);
    }

    @Override
    public List<Container> list() throws IOException {
        return records.list();
    }

    @Override
    public Task createTask(String containerId) throws IOException {
        return locked(containerId, () -> {
            Container container = container(containerId);
            Runtime runtime = runtime(container.runtime());
            if (runtime.task(containerId).isPresent()) {
                throw HawserException.failedPrecondition("container " + containerId + " already has a task; delete it first");
            }
            List<Mount> rootfs = snapshotters.get(container.snapshotter()).mounts(container.snapshotKey());
            // a bundle left by a task creation a crash interrupted holds nothing of value
            ContainerFiles.removeTree(mounter, files.bundle(containerId));
            Files.createDirectories(container.logPath().getParent());
            records.resetAnnouncements(containerId);
            Path bundle = files.writeBundle(containerId, container.spec());
            Task task;
            try {
                task = runtime.create(new CreateTaskRequest(containerId, bundle, rootfs, new IOConfig.Log(
                        container.logPath(), container.stdin(), container.stdinOnce(), container.terminal())));
            } catch (IOException | RuntimeException e) {
                try {
                    ContainerFiles.removeTree(mounter, bundle);
                } catch (IOException | RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            ManagedTask managed = watch(container, task);
            events.post(Topics.TASK_CREATE, taskProperties(container, managed.pid()));
            return managed;
        });
    }

    @Override
    public Optional<Task> task(String containerId) throws IOException {
        Container container = container(containerId);
        ManagedTask known = watched.get(containerId);
        if (known != null) {
            return Optional.of(known);
        }
        return runtime(container.runtime()).task(containerId).map(task -> watch(container, task));
    }

    @Override
    public ProcessUser resolveUser(String containerId, String user) throws IOException {
        Container container = container(containerId);
        Task task = task(container.id()).orElseThrow(() -> HawserException.failedPrecondition(
                "container " + container.id() + " is not running"));
        if (task.state().status() != TaskState.Status.RUNNING) {
            throw HawserException.failedPrecondition("container " + container.id() + " is not running");
        }
        ImageUsers.ResolvedUser resolved = ImageUsers.resolve(files.rootfs(container.id()), user);
        return new ProcessUser(resolved.uid(), resolved.gid(), resolved.additionalGids());
    }

    @Override
    public ExitStatus deleteTask(String containerId) throws IOException {
        return locked(containerId, () -> {
            Container container = container(containerId);
            Task task = runtime(container.runtime()).task(containerId)
                    .orElseThrow(() -> HawserException.notFound("task of container " + containerId));
            return deleteTask(container, task);
        });
    }

    /** Deletes a task the caller holds the container's lock for; announces its exit if no one did. */
    private ExitStatus deleteTask(Container container, Task task) throws IOException {
        ExitStatus status = task.delete();
        ManagedTask managed = watched.remove(container.id());
        announceExit(container, managed == null ? 0 : managed.knownPid(), status);
        ContainerFiles.removeTree(mounter, files.bundle(container.id()));
        Map<String, Object> properties = taskProperties(container, 0);
        exitProperties(properties, status);
        events.post(Topics.TASK_DELETE, properties);
        return status;
    }

    @Override
    public void remove(String containerId, boolean force) throws IOException {
        locked(containerId, () -> {
            Container container = container(containerId);
            Runtime runtime = runtimes.get(container.runtime());
            Optional<Snapshotter> snapshotter = snapshotters.find(container.snapshotter());
            if (!force && runtime == null) {
                throw HawserException.failedPrecondition("runtime " + container.runtime() + " of container " + containerId
                        + " is not available, so whether its task runs is unknown; remove it with force to remove it regardless");
            }
            if (!force && snapshotter.isEmpty()) {
                throw HawserException.failedPrecondition("snapshotter " + container.snapshotter() + " of container "
                        + containerId + " is not available, so its root filesystem cannot be removed; remove it with force to leave it");
            }
            Optional<Task> task = runtime == null ? Optional.empty() : runtime.task(containerId);
            if (task.isPresent()) {
                TaskState.Status status = task.get().state().status();
                if (status != TaskState.Status.STOPPED && status != TaskState.Status.CREATED) {
                    if (!force) {
                        throw HawserException.failedPrecondition("container " + containerId
                                + " is running; stop it first or remove it with force");
                    }
                    kill(task.get(), status);
                }
                deleteTask(container, task.get());
            }
            if (snapshotter.isPresent()) {
                removeSnapshot(snapshotter.get(), container.snapshotKey());
            } else {
                LOG.log(System.Logger.Level.WARNING, "snapshot " + container.snapshotKey() + " of removed container "
                        + containerId + " is left in snapshotter " + container.snapshotter() + ", which is not available");
            }
            ContainerFiles.removeTree(mounter, files.bundle(containerId));
            ContainerFiles.removeTree(mounter, files.container(containerId));
            records.delete(containerId);
            watched.remove(containerId);
            events.post(Topics.CONTAINER_DELETE, properties(containerId));
            return null;
        });
        locks.remove(containerId);
    }

    /**
     * Kills every process of a task and waits for it to end. A frozen task is thawed after the
     * signal, since a frozen process cannot act on even {@code SIGKILL} until then.
     */
    private void kill(Task task, TaskState.Status status) throws IOException {
        task.kill(Signals.SIGKILL, true);
        if (status == TaskState.Status.PAUSED || status == TaskState.Status.PAUSING) {
            task.resume();
        }
        try {
            task.waitFor().toCompletableFuture().get(killTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for task " + task.id() + " to exit", e);
        } catch (ExecutionException e) {
            throw new IOException("waiting for task " + task.id() + " to exit failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("task " + task.id() + " did not exit within " + killTimeout.toSeconds() + " s of SIGKILL");
        }
    }

    private static void removeSnapshot(Snapshotter snapshotter, String key) throws IOException {
        try {
            snapshotter.remove(key);
        } catch (HawserException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
    }

    /** A task whose container has no record: nothing can manage it, so it is ended and deleted. */
    private void removeOrphan(String handler, Task task) {
        LOG.log(System.Logger.Level.WARNING, "killing and deleting task " + task.id() + " of runtime " + handler
                + ": no container or sandbox is recorded for it");
        try {
            TaskState.Status status = task.state().status();
            if (status != TaskState.Status.STOPPED && status != TaskState.Status.CREATED) {
                kill(task, status);
            }
            task.delete();
            ContainerFiles.removeTree(mounter, files.bundle(task.id()));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "could not remove orphaned task " + task.id() + ": " + e.getMessage(), e);
        }
    }

    /** Watches a task unless it is watched already, and returns the handle that publishes its events. */
    private ManagedTask watch(Container container, Task task) {
        ManagedTask managed = new ManagedTask(task, container, this, pidOf(task));
        ManagedTask existing = watched.putIfAbsent(container.id(), managed);
        if (existing != null) {
            return existing;
        }
        task.waitFor().whenCompleteAsync((status, failure) -> {
            if (failure == null) {
                // after the start event, when the process ended as it started
                managed.afterTransition(() -> {
                    if (isCurrent(managed)) {
                        announceExit(container, managed.knownPid(), status);
                    }
                });
            }
        }, announcers);
        task.oom().thenRunAsync(() -> {
            if (isCurrent(managed)) {
                announce(container, ContainerRecords.Announcement.OOM, Topics.TASK_OOM, taskProperties(container, managed.knownPid()));
            }
        }, announcers);
        return managed;
    }

    /** Whether a handle is still the one watched for its container, by a service still open. */
    private boolean isCurrent(ManagedTask managed) {
        return !closed && watched.get(managed.container().id()) == managed;
    }

    private static long pidOf(Task task) {
        try {
            return task.pid();
        } catch (IOException e) {
            // the shim does not answer; the events then carry no pid
            return 0;
        }
    }

    /** Publishes the exit of a container's current task unless it was published before. */
    private void announceExit(Container container, long pid, ExitStatus status) {
        Map<String, Object> properties = taskProperties(container, pid);
        exitProperties(properties, status);
        announce(container, ContainerRecords.Announcement.EXIT, Topics.TASK_EXIT, properties);
    }

    /**
     * Publishes what happened to a container's current task unless it was published before.
     * Claiming and publishing happen under one lock, so whoever finds it claimed knows its event is
     * already on its way and can publish what follows it.
     */
    private void announce(Container container, ContainerRecords.Announcement announcement, String topic,
            Map<String, Object> properties) {
        synchronized (announcing) {
            try {
                if (records.claim(container.id(), announcement)) {
                    events.post(topic, properties);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "could not record " + topic + " of container " + container.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Publishes the exit of a process exec'd into a container's task; exec'd processes are not recorded. */
    void announceExecExit(Container container, String execId, long pid, ExitStatus status) {
        if (closed) {
            return;
        }
        Map<String, Object> properties = taskProperties(container, pid);
        properties.put(EventProperties.EXEC_ID, execId);
        exitProperties(properties, status);
        events.post(Topics.TASK_EXIT, properties);
    }

    /** Runs work on a virtual thread of the announcers, for the managed tasks' exec watches. */
    Executor announcers() {
        return announcers;
    }

    /** Publishes a task event from a managed task. */
    void post(String topic, Container container, long pid, String execId) {
        Map<String, Object> properties = taskProperties(container, pid);
        if (execId != null) {
            properties.put(EventProperties.EXEC_ID, execId);
        }
        events.post(topic, properties);
    }

    private Map<String, Object> properties(String id) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(EventProperties.ID, id);
        properties.put(EventProperties.TIMESTAMP, clock.millis());
        return properties;
    }

    private Map<String, Object> taskProperties(Container container, long pid) {
        Map<String, Object> properties = properties(container.id());
        properties.put(EventProperties.CONTAINER_ID, container.id());
        properties.put(EventProperties.RUNTIME, container.runtime());
        if (pid > 0) {
            properties.put(EventProperties.PID, pid);
        }
        return properties;
    }

    private static void exitProperties(Map<String, Object> properties, ExitStatus status) {
        properties.put(EventProperties.EXIT_STATUS, status.code());
        properties.put(EventProperties.EXITED_AT,
                Math.addExact(Math.multiplyExact(status.exitedAt().getEpochSecond(), 1_000_000_000L), status.exitedAt().getNano()));
        properties.put(EventProperties.OOM_KILLED, status.oomKilled());
    }

    private Container container(String id) throws IOException {
        return records.get(id).orElseThrow(() -> HawserException.notFound("container " + id));
    }

    /**
     * The runtime serving a handler.
     *
     * @throws HawserException {@code NOT_FOUND} naming the handler and those that do serve
     */
    private Runtime runtime(String handler) throws HawserException {
        Runtime runtime = runtimes.get(handler);
        if (runtime == null) {
            TreeSet<String> serving = new TreeSet<>(runtimes.keySet());
            throw HawserException.notFound("runtime " + handler + " (serving: "
                    + (serving.isEmpty() ? "none" : String.join(", ", serving)) + "; 'hawser plugins' says why one is missing)");
        }
        return runtime;
    }

    /** Work done under one container's lock. */
    @FunctionalInterface
    private interface Locked<T> {
        T run() throws IOException;
    }

    private <T> T locked(String containerId, Locked<T> work) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(containerId, id -> new ReentrantLock());
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /** One step of taking back a failed creation. */
    @FunctionalInterface
    private interface Undo {
        void run() throws IOException;
    }

    private static void undoAll(Deque<Undo> undo, Exception failure) {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String checkId(String id) throws HawserException {
        try {
            return Ids.check(id, "container id");
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument(e.getMessage());
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The first characters of the id, as docker names a container's host; ids may hold '_', host names may not. */
    private static String defaultHostname(String id) {
        return id.substring(0, Math.min(HOSTNAME_ID_CHARS, id.length())).replace('_', '-');
    }

    /**
     * The image's configuration with what the request overrides. An entrypoint given clears the
     * image's {@code Cmd} too, as docker does: the image's arguments were meant for its own
     * entrypoint.
     */
    private static ImageConfig runConfig(ImageConfig image, ContainerConfig config) {
        if (config.entrypoint() == null) {
            return image;
        }
        return new ImageConfig(config.entrypoint(), null, image.env(), image.workingDir(), image.user());
    }

    /**
     * The signal from the image configuration's {@code StopSignal}, SIGTERM when unset.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} when it names no signal
     */
    private static int stopSignal(JsonNode imageConfig, Image image) throws HawserException {
        JsonNode signal = imageConfig.path("config").path("StopSignal");
        if (!signal.isTextual() || signal.textValue().isBlank()) {
            return Signals.SIGTERM;
        }
        try {
            return Signals.parse(signal.textValue());
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument("image " + image.name() + " has StopSignal '" + signal.textValue()
                    + "', which is no signal");
        }
    }

    private static Map<String, String> imageLabels(JsonNode imageConfig) {
        Map<String, String> labels = new LinkedHashMap<>();
        imageConfig.path("config").path("Labels").properties().forEach(entry -> {
            if (entry.getValue().isTextual()) {
                labels.put(entry.getKey(), entry.getValue().textValue());
            }
        });
        return labels;
    }

    /**
     * What generated names start with: the last component of the image's repository
     * ({@code busybox} for {@code docker.io/library/busybox:1.36}), {@code container} for a name
     * that is no reference.
     */
    static String nameBase(String imageName) {
        String repository;
        try {
            repository = Reference.parse(imageName).path();
        } catch (HawserException notAReference) {
            return "container";
        }
        String last = repository.substring(repository.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        // path components are [a-z0-9] separated by '.', '_' or '-': valid in a name when they start it
        return last.isEmpty() || !Character.isLetterOrDigit(last.charAt(0)) ? "container" : last;
    }
}
