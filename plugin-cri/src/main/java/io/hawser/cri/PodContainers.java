package io.hawser.cri;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.containers.BindMount;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.containers.DeviceMapping;
import io.hawser.containers.Namespaces;
import io.hawser.cri.api.v1.ContainerConfig;
import io.hawser.cri.api.v1.ContainerFilter;
import io.hawser.cri.api.v1.ContainerMetadata;
import io.hawser.cri.api.v1.ContainerState;
import io.hawser.cri.api.v1.ContainerStatus;
import io.hawser.cri.api.v1.ContainerStatusResponse;
import io.hawser.cri.api.v1.ExecSyncResponse;
import io.hawser.cri.api.v1.ImageSpec;
import io.hawser.cri.api.v1.LinuxContainerResources;
import io.hawser.cri.api.v1.LinuxContainerSecurityContext;
import io.hawser.cri.api.v1.Mount;
import io.hawser.cri.api.v1.NamespaceMode;
import io.hawser.cri.api.v1.PodSandboxConfig;
import io.hawser.cri.api.v1.SecurityProfile;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.CriLog;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;

/**
 * CRI containers on the kernel's container service. A CRI container is a kernel container whose
 * labels carry what the CRI knows about it ({@link Meta}: its pod, metadata, the caller's labels
 * and annotations, the image as asked for, its log path and mounts); its task is created and
 * started by {@code StartContainer} and kept after it ends, so its exit status is reported until
 * the container is removed. When it started is kept in a small file beside, since the kernel's
 * records do not change after creation.
 *
 * <p>States: no task and never started is {@code CREATED}; a running or paused task is
 * {@code RUNNING}; an ended task, or a start that failed, is {@code EXITED}.
 */
final class PodContainers implements PodSandboxes.Containers {

    /** The label holding the CRI's record of a container, JSON of {@link Meta}. */
    static final String META_LABEL = "io.hawser.cri.container";
    /** The label naming a container's pod, so a pod's containers are found without parsing every record. */
    static final String POD_LABEL = "io.hawser.cri.pod";

    /** The exit code and reason of a container whose start failed, as containerd reports them. */
    static final int START_ERROR_CODE = 128;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NANOS = 1_000_000_000L;

    private final ContainerService containers;
    private final PodSandboxes pods;
    private final CriImages images;
    private final Path starts;
    private final Path execLogs;

    /**
     * What the CRI records of a container.
     *
     * @param pod         the pod's id
     * @param name        the metadata name
     * @param attempt     the metadata attempt
     * @param labels      the caller's labels
     * @param annotations the caller's annotations
     * @param image       the image as the request named it
     * @param imageRef    the image's ID
     * @param logPath     where its output goes, empty when the pod has no log directory
     * @param mounts      its mounts as asked for, each the serialized CRI message
     */
    record Meta(String pod, String name, int attempt, Map<String, String> labels, Map<String, String> annotations,
                String image, String imageRef, String logPath, List<String> mounts) {
    }

    /**
     * When a container was started, or why its start failed; kept in {@code <starts>/<id>.json}.
     *
     * @param startedNanos when its process started, Unix nanoseconds; 0 when it did not
     * @param startError   why the start failed, {@code null} when it did not
     * @param failedNanos  when the start failed
     */
    record Start(long startedNanos, String startError, long failedNanos) {
    }

    /**
     * @param starts   where start times are kept (under the daemon's root)
     * @param execLogs where the output of {@code ExecSync} commands is written while they run
     */
    PodContainers(ContainerService containers, PodSandboxes pods, CriImages images, Path starts, Path execLogs) {
        this.containers = containers;
        this.pods = pods;
        this.images = images;
        this.starts = starts;
        this.execLogs = execLogs;
    }

    /** Creates a container in a pod; nothing runs until {@link #start}. */
    String create(String podId, ContainerConfig config, PodSandboxConfig sandboxConfig) throws IOException {
        if (podId.isEmpty()) {
            throw Calls.invalid("pod_sandbox_id", "must not be empty");
        }
        if (!config.hasMetadata() || config.getMetadata().getName().isEmpty()) {
            throw Calls.invalid("config.metadata.name", "must not be empty");
        }
        if (config.getImage().getImage().isEmpty()) {
            throw Calls.invalid("config.image.image", "must not be empty");
        }
        PodSandboxes.Member pod = pods.member(podId).orElseThrow(() -> HawserException.notFound("pod sandbox " + podId));
        if (!pod.pod().ready()) {
            throw HawserException.failedPrecondition("pod sandbox " + pod.id() + " is not ready");
        }
        CriImages.Entry image = images.find(config.getImage().getImage())
                .orElseThrow(() -> HawserException.notFound("image " + config.getImage().getImage()));
        PodSandboxConfig podConfig = pod.pod().podConfig();
        ContainerMetadata metadata = config.getMetadata();
        String logPath = podConfig.getLogDirectory().isEmpty() || config.getLogPath().isEmpty() ? ""
                : Path.of(podConfig.getLogDirectory()).resolve(config.getLogPath()).toString();
        Meta meta = new Meta(pod.id(), metadata.getName(), metadata.getAttempt(), config.getLabelsMap(),
                config.getAnnotationsMap(), config.getImage().getImage(), image.id().toString(), logPath,
                config.getMountsList().stream().map(m -> HexFormat.of().formatHex(m.toByteArray())).toList());

        LinuxContainerSecurityContext security = config.getLinux().getSecurityContext();
        if (security.getPrivileged() && !podConfig.getLinux().getSecurityContext().getPrivileged()) {
            throw HawserException.invalidArgument("container " + metadata.getName()
                    + " asks to be privileged in pod sandbox " + pod.id() + ", which is not");
        }
        List<String> env = config.getEnvsList().stream().map(kv -> kv.getKey() + "=" + kv.getValue()).toList();
        io.hawser.containers.ContainerConfig.Builder builder = io.hawser.containers.ContainerConfig
                .of(image.records().getFirst().name())
                .name(containerName(metadata, podConfig))
                .runtime(pod.runtime())
                .env(env)
                .workdir(config.getWorkingDir().isEmpty() ? null : config.getWorkingDir())
                .user(user(security))
                .hostname(pod.pod().hostNetwork() ? null : PodSandboxes.hostname(podConfig))
                .terminal(config.getTty())
                .stdin(config.getStdin())
                .stdinOnce(config.getStdin() && config.getStdinOnce())
                .readOnlyRootfs(security.getReadonlyRootfs())
                .capAdd(security.getCapabilities().getAddCapabilitiesList())
                .capDrop(security.getCapabilities().getDropCapabilitiesList())
                .privileged(security.getPrivileged())
                .noNewPrivileges(security.getNoNewPrivs())
                .logPath(logPath.isEmpty() ? null : Path.of(logPath))
                .labels(Map.of(META_LABEL, JSON.writeValueAsString(meta), POD_LABEL, pod.id()))
                .namespaces(namespaces(pod, security))
                .mounts(mounts(pod, config, security.getReadonlyRootfs()))
                .devices(config.getDevicesList().stream()
                        .map(d -> new DeviceMapping(Path.of(d.getHostPath()),
                                d.getContainerPath().isEmpty() ? null : d.getContainerPath(), d.getPermissions()))
                        .toList())
                .supplementalGroups(security.getSupplementalGroupsList())
                .cgroupParent(podConfig.getLinux().getCgroupParent().isEmpty() ? null : podConfig.getLinux().getCgroupParent())
                .maskedPaths(security.getMaskedPathsCount() == 0 ? null : security.getMaskedPathsList())
                .readonlyPaths(security.getReadonlyPathsCount() == 0 ? null : security.getReadonlyPathsList())
                .seccompProfile(seccomp(security))
                .annotations(config.getAnnotationsMap());
        // Kubernetes' command is the entrypoint and its args the command; a command without args
        // runs alone, without the image's Cmd
        if (config.getCommandCount() > 0) {
            List<String> command = new ArrayList<>(config.getCommandList());
            command.addAll(config.getArgsList());
            builder.entrypoint(List.of()).command(command);
        } else {
            builder.command(config.getArgsList());
        }
        LinuxContainerResources resources = config.getLinux().getResources();
        builder.resources(resources(resources));
        if (resources.getOomScoreAdj() != 0) {
            builder.oomScoreAdj((int) resources.getOomScoreAdj());
        }
        try {
            return containers.create(builder.build()).id();
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument("container " + metadata.getName() + ": " + e.getMessage());
        }
    }

    /** Kubelet's unique name of a container attempt, as containerd makes it. */
    static String containerName(ContainerMetadata metadata, PodSandboxConfig pod) {
        return String.join("_", metadata.getName(), pod.getMetadata().getName(), pod.getMetadata().getNamespace(),
                pod.getMetadata().getUid(), Integer.toString(metadata.getAttempt()));
    }

    /** The user to run as: a name or uid, with the group when one is asked for. */
    static String user(LinuxContainerSecurityContext security) {
        String user = !security.getRunAsUsername().isEmpty() ? security.getRunAsUsername()
                : security.hasRunAsUser() ? Long.toString(security.getRunAsUser().getValue()) : null;
        if (security.hasRunAsGroup()) {
            if (user == null) {
                throw Calls.invalid("linux.security_context.run_as_group", "needs run_as_user or run_as_username");
            }
            return user + ":" + security.getRunAsGroup().getValue();
        }
        return user;
    }

    private Namespaces namespaces(PodSandboxes.Member pod, LinuxContainerSecurityContext security) throws IOException {
        // host networking means the host's UTS namespace too, as kubelet's other runtimes do it
        return new Namespaces(
                pod.pod().hostNetwork() ? Namespaces.Mode.HOST : Namespaces.Mode.join(pod.namespace(PodNamespaces.NET)),
                pod.pod().hostIpc() ? Namespaces.Mode.HOST : Namespaces.Mode.join(pod.namespace(PodNamespaces.IPC)),
                pod.pod().hostNetwork() ? Namespaces.Mode.HOST : Namespaces.Mode.join(pod.namespace(PodNamespaces.UTS)),
                pid(pod, security.getNamespaceOptions()));
    }

    /** The PID namespace: the host's, the pod's (its pause process's), another container's, or its own. */
    private Namespaces.Mode pid(PodSandboxes.Member pod, io.hawser.cri.api.v1.NamespaceOption options) throws IOException {
        return switch (options.getPid()) {
            case NODE -> Namespaces.Mode.HOST;
            case POD -> {
                Path shared = pod.namespace(PodNamespaces.PID);
                if (!Files.exists(shared)) {
                    throw HawserException.failedPrecondition("pod sandbox " + pod.id()
                            + " has no shared PID namespace: it was not run with PID namespace mode POD");
                }
                yield Namespaces.Mode.join(shared);
            }
            case TARGET -> {
                Task target = running(container(options.getTargetId()));
                yield Namespaces.Mode.join(Path.of("/proc", Long.toString(target.pid()), "ns", "pid"));
            }
            default -> Namespaces.Mode.PRIVATE;
        };
    }

    /**
     * The request's mounts, then the pod's {@code resolv.conf} and {@code hostname} unless the
     * request mounts its own; a host-network pod's containers see the host's {@code /etc/hosts}.
     * A missing host path is made a directory, as kubelet's other runtimes do.
     */
    private static List<BindMount> mounts(PodSandboxes.Member pod, ContainerConfig config, boolean readOnlyRootfs)
            throws IOException {
        List<BindMount> mounts = new ArrayList<>();
        for (Mount mount : config.getMountsList()) {
            if (mount.getContainerPath().isEmpty() || mount.getHostPath().isEmpty()) {
                throw Calls.invalid("config.mounts", "a mount needs container_path and host_path");
            }
            Path host = Path.of(mount.getHostPath());
            if (!Files.exists(host)) {
                Files.createDirectories(host);
            }
            BindMount.Propagation propagation = switch (mount.getPropagation()) {
                case PROPAGATION_HOST_TO_CONTAINER -> BindMount.Propagation.HOST_TO_CONTAINER;
                case PROPAGATION_BIDIRECTIONAL -> BindMount.Propagation.BIDIRECTIONAL;
                default -> BindMount.Propagation.PRIVATE;
            };
            mounts.add(new BindMount(host, mount.getContainerPath(), mount.getReadonly(), propagation));
        }
        List<String> given = mounts.stream().map(BindMount::destination).toList();
        Map<String, Path> podFiles = new LinkedHashMap<>();
        podFiles.put("/etc/resolv.conf", pod.directory().resolve("resolv.conf"));
        podFiles.put("/etc/hostname", pod.directory().resolve("hostname"));
        if (pod.pod().hostNetwork()) {
            podFiles.put("/etc/hosts", Path.of("/etc/hosts"));
        }
        podFiles.forEach((destination, source) -> {
            if (!given.contains(destination) && Files.exists(source)) {
                mounts.add(new BindMount(source, destination, readOnlyRootfs, BindMount.Propagation.PRIVATE));
            }
        });
        return mounts;
    }

    /**
     * The seccomp profile as the kernel names it. Without one the container is unconfined, as
     * with containerd: kubelet asks for {@code RuntimeDefault} when it wants the default.
     */
    static String seccomp(LinuxContainerSecurityContext security) {
        if (security.hasSeccomp()) {
            SecurityProfile profile = security.getSeccomp();
            return switch (profile.getProfileType()) {
                case RuntimeDefault -> "runtime/default";
                case Unconfined -> "unconfined";
                case Localhost -> {
                    if (!profile.getLocalhostRef().startsWith("/")) {
                        throw Calls.invalid("linux.security_context.seccomp.localhost_ref",
                                "must be an absolute path, got '" + profile.getLocalhostRef() + "'");
                    }
                    yield "localhost/" + profile.getLocalhostRef();
                }
                case UNRECOGNIZED -> throw Calls.invalid("linux.security_context.seccomp.profile_type", "is unknown");
            };
        }
        String path = security.getSeccompProfilePath();
        return switch (path) {
            case "", "unconfined" -> "unconfined";
            case "runtime/default", "docker/default" -> "runtime/default";
            default -> {
                if (!path.startsWith("localhost/")) {
                    throw Calls.invalid("linux.security_context.seccomp_profile_path", "'" + path
                            + "' is none of runtime/default, docker/default, unconfined, localhost/PATH");
                }
                yield path;
            }
        };
    }

    /** CRI resources as kernel resources; CRI's zero means not set. */
    static Resources resources(LinuxContainerResources r) {
        Map<String, Long> hugepages = new LinkedHashMap<>();
        r.getHugepageLimitsList().forEach(limit -> hugepages.put(limit.getPageSize(), limit.getLimit()));
        try {
            return new Resources(
                    r.getMemoryLimitInBytes() == 0 ? null : r.getMemoryLimitInBytes(),
                    r.getMemorySwapLimitInBytes() == 0 ? null : r.getMemorySwapLimitInBytes(),
                    r.getCpuShares() == 0 ? null : r.getCpuShares(),
                    r.getCpuQuota() == 0 ? null : r.getCpuQuota(),
                    r.getCpuPeriod() == 0 ? null : r.getCpuPeriod(),
                    r.getCpusetCpus().isEmpty() ? null : r.getCpusetCpus(),
                    r.getCpusetMems().isEmpty() ? null : r.getCpusetMems(),
                    null, hugepages, r.getUnifiedMap());
        } catch (IllegalArgumentException e) {
            throw Calls.invalid("linux.resources", e.getMessage());
        }
    }

    /** Starts a created container. A failed start leaves it exited with the reason. */
    void start(String id) throws IOException {
        Container container = container(id);
        if (task(container).isPresent() || readStart(container.id()).isPresent()) {
            throw HawserException.failedPrecondition("container " + container.id() + " is not in the created state");
        }
        Task task;
        try {
            task = containers.createTask(container.id());
            task.start();
        } catch (IOException | RuntimeException e) {
            writeStart(container.id(), new Start(0, e.getMessage() == null ? e.toString() : e.getMessage(), nowNanos()));
            try {
                containers.task(container.id()).ifPresent(created -> killAndDelete(container.id(), created));
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        writeStart(container.id(), new Start(nowNanos(), null, 0));
    }

    private void killAndDelete(String id, Task task) {
        try {
            task.kill(Signals.SIGKILL, true);
            task.waitFor().toCompletableFuture().get(10, TimeUnit.SECONDS);
            containers.deleteTask(id);
        } catch (IOException | ExecutionException | TimeoutException e) {
            System.getLogger(PodContainers.class.getName()).log(System.Logger.Level.WARNING,
                    "cleaning up the failed start of container " + id + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops a container: its stop signal, then {@code SIGKILL} to every process after the grace
     * period. A container that is not running, or not there, is stopped already.
     */
    void stop(String id, long timeoutSeconds) throws IOException {
        // kubelet repeats stops: a container that is gone is stopped already
        Optional<Container> known = lookup(id);
        if (known.isEmpty()) {
            return;
        }
        Container container = known.get();
        Optional<Task> found = task(container);
        if (found.isEmpty()) {
            return;
        }
        Task task = found.get();
        TaskState.Status status = task.state().status();
        if (status == TaskState.Status.STOPPED) {
            return;
        }
        if (status == TaskState.Status.CREATED) {
            task.kill(Signals.SIGKILL, true);
            await(task.waitFor(), 10);
            return;
        }
        if (status == TaskState.Status.PAUSED) {
            task.resume();
        }
        if (timeoutSeconds > 0) {
            task.kill(container.stopSignal(), false);
            if (await(task.waitFor(), timeoutSeconds).isPresent()) {
                return;
            }
        }
        task.kill(Signals.SIGKILL, true);
        if (await(task.waitFor(), 30).isEmpty()) {
            throw HawserException.unavailable("container " + container.id() + " did not end 30 s after SIGKILL");
        }
    }

    /** Removes a container, killing it if it runs; one that is not there is removed already. */
    void remove(String id) throws IOException {
        Optional<Container> container = lookup(id);
        if (container.isEmpty()) {
            return;
        }
        containers.remove(container.get().id(), true);
        Files.deleteIfExists(startFile(container.get().id()));
    }

    @Override
    public void stopAll(String podId) throws IOException {
        for (Container container : inPod(podId)) {
            stop(container.id(), 0);
        }
    }

    @Override
    public void removeAll(String podId) throws IOException {
        for (Container container : inPod(podId)) {
            remove(container.id());
        }
    }

    private List<Container> inPod(String podId) throws IOException {
        return containers.list().stream().filter(c -> podId.equals(c.labels().get(POD_LABEL))).toList();
    }

    ContainerStatusResponse status(String id, boolean verbose) throws IOException {
        Container container = container(id);
        ContainerStatusResponse.Builder response = ContainerStatusResponse.newBuilder().setStatus(statusOf(container));
        if (verbose) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("runtimeHandler", container.runtime());
            info.put("snapshotter", container.snapshotter());
            info.put("snapshotKey", container.snapshotKey());
            task(container).ifPresent(task -> {
                try {
                    info.put("pid", task.pid());
                } catch (IOException e) {
                    info.put("pid", 0);
                }
            });
            info.put("runtimeSpec", JSON.readTree(container.spec()));
            response.putInfo("info", JSON.writeValueAsString(info));
        }
        return response.build();
    }

    ContainerStatus statusOf(Container container) throws IOException {
        Meta meta = meta(container);
        ContainerStatus.Builder status = ContainerStatus.newBuilder()
                .setId(container.id())
                .setMetadata(ContainerMetadata.newBuilder().setName(meta.name()).setAttempt(meta.attempt()))
                .setCreatedAt(nanos(container.createdAt()))
                .setImage(ImageSpec.newBuilder().setImage(meta.image()))
                .setImageRef(meta.imageRef())
                .setImageId(meta.imageRef())
                .putAllLabels(meta.labels())
                .putAllAnnotations(meta.annotations())
                .setLogPath(meta.logPath());
        for (String mount : meta.mounts()) {
            status.addMounts(Mount.parseFrom(HexFormat.of().parseHex(mount)));
        }
        Optional<Start> start = readStart(container.id());
        start.ifPresent(s -> status.setStartedAt(s.startedNanos()));
        if (start.isPresent() && start.get().startError() != null) {
            return status.setState(ContainerState.CONTAINER_EXITED)
                    .setFinishedAt(start.get().failedNanos())
                    .setExitCode(START_ERROR_CODE)
                    .setReason("StartError")
                    .setMessage(start.get().startError())
                    .build();
        }
        Optional<Task> task = task(container);
        if (task.isEmpty()) {
            return status.setState(start.isPresent() ? ContainerState.CONTAINER_EXITED : ContainerState.CONTAINER_CREATED).build();
        }
        TaskState state = task.get().state();
        return switch (state.status()) {
            case CREATED -> status.setState(ContainerState.CONTAINER_CREATED).build();
            case RUNNING, PAUSING, PAUSED -> status.setState(ContainerState.CONTAINER_RUNNING).build();
            case STOPPED -> {
                ExitStatus exit = state.exitStatus();
                yield status.setState(ContainerState.CONTAINER_EXITED)
                        .setFinishedAt(nanos(exit.exitedAt()))
                        .setExitCode(exit.code())
                        .setReason(exit.oomKilled() ? "OOMKilled" : exit.success() ? "Completed" : "Error")
                        .build();
            }
            case UNKNOWN -> status.setState(ContainerState.CONTAINER_UNKNOWN).build();
        };
    }

    List<io.hawser.cri.api.v1.Container> list(ContainerFilter filter) throws IOException {
        List<io.hawser.cri.api.v1.Container> listed = new ArrayList<>();
        for (Container container : containers.list()) {
            if (!container.labels().containsKey(META_LABEL)) {
                continue;
            }
            if (!filter.getId().isEmpty() && !container.id().startsWith(filter.getId())) {
                continue;
            }
            Meta meta = meta(container);
            if (!filter.getPodSandboxId().isEmpty() && !meta.pod().startsWith(filter.getPodSandboxId())) {
                continue;
            }
            if (!filter.getLabelSelectorMap().entrySet().stream()
                    .allMatch(e -> e.getValue().equals(meta.labels().get(e.getKey())))) {
                continue;
            }
            ContainerStatus status;
            try {
                status = statusOf(container);
            } catch (HawserException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            if (filter.hasState() && filter.getState().getState() != status.getState()) {
                continue;
            }
            listed.add(io.hawser.cri.api.v1.Container.newBuilder()
                    .setId(container.id())
                    .setPodSandboxId(meta.pod())
                    .setMetadata(status.getMetadata())
                    .setImage(status.getImage())
                    .setImageRef(status.getImageRef())
                    .setImageId(status.getImageId())
                    .setState(status.getState())
                    .setCreatedAt(status.getCreatedAt())
                    .putAllLabels(meta.labels())
                    .putAllAnnotations(meta.annotations())
                    .build());
        }
        return listed;
    }

    void update(String id, LinuxContainerResources resources) throws IOException {
        running(container(id)).update(resources(resources));
    }

    void reopenLog(String id) throws IOException {
        running(container(id)).reopenLog();
    }

    /**
     * Runs a command in a running container and returns its output. The output is written by the
     * shim to a log file, read when the command has ended.
     *
     * @param timeoutSeconds how long the command may take, 0 for no limit; a command that takes
     *                       longer is killed and the call fails with {@code DEADLINE_EXCEEDED}
     */
    ExecSyncResponse execSync(String id, List<String> command, long timeoutSeconds) throws IOException {
        StartedExec started = startExec(id, "sync-", command, false, false);
        Process process = started.process();
        Path log = started.log();
        Container container = started.container();
        try {
            Optional<ExitStatus> exit = await(process.waitFor(), timeoutSeconds > 0 ? timeoutSeconds : Long.MAX_VALUE / NANOS);
            if (exit.isEmpty()) {
                process.kill(Signals.SIGKILL);
                await(process.waitFor(), 10);
                throw io.grpc.Status.DEADLINE_EXCEEDED.withDescription("command " + command + " in container "
                        + container.id() + " timed out after " + timeoutSeconds + " s").asRuntimeException();
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            readLog(log, stdout, stderr);
            return ExecSyncResponse.newBuilder()
                    .setStdout(com.google.protobuf.ByteString.copyFrom(stdout.toByteArray()))
                    .setStderr(com.google.protobuf.ByteString.copyFrom(stderr.toByteArray()))
                    .setExitCode(exit.get().code())
                    .build();
        } finally {
            if (process.state().status() == TaskState.Status.STOPPED) {
                process.delete();
            }
            Files.deleteIfExists(log);
        }
    }

    /**
     * Starts a command in a running container for a streaming client, which reads its output and
     * feeds its input through {@link Process#attach()}. The shim also logs the output to a file,
     * removed with the process once it has ended.
     */
    Process execAttached(String id, List<String> command, boolean tty, boolean stdin) throws IOException {
        StartedExec started = startExec(id, "stream-", command, tty, stdin);
        Process process = started.process();
        Path log = started.log();
        // claimed before the cleanup below can delete a quick command with its unread output
        Attachment attachment = process.attach();
        process.waitFor().whenComplete((exit, failure) -> Thread.ofVirtual().start(() -> {
            try {
                process.delete();
                Files.deleteIfExists(log);
            } catch (IOException e) {
                System.getLogger(PodContainers.class.getName()).log(System.Logger.Level.WARNING,
                        "cleaning up exec " + process.id() + " in container " + started.container().id() + " failed", e);
            }
        }));
        return new ClaimedExec(process, attachment);
    }

    /** A command started in a container, its output logged by the shim to {@code log}. */
    private record StartedExec(Container container, Process process, Path log) {}

    /** Starts a command in a running container; its exec id starts with {@code kind}. */
    private StartedExec startExec(String id, String kind, List<String> command, boolean tty, boolean stdin) throws IOException {
        if (command.isEmpty()) {
            throw Calls.invalid("cmd", "must not be empty");
        }
        Container container = container(id);
        Task task = running(container);
        String execId = kind + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Files.createDirectories(execLogs);
        Path log = execLogs.resolve(container.id() + "-" + execId + ".log");
        Process process = task.exec(new ExecRequest(execId, execProcess(container.spec(), command, tty),
                new IOConfig.Log(log, stdin, stdin, tty)));
        return new StartedExec(container, process, log);
    }

    /** The output a shim logged, each stream's entries put back together. */
    static void readLog(Path log, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(log);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i > start) {
                    byte[] line = java.util.Arrays.copyOfRange(bytes, start, i);
                    CriLog.parse(line, line.length).ifPresent(entry ->
                            (entry.stream() == Attachment.Stream.STDERR ? stderr : stdout).writeBytes(entry.output()));
                }
                start = i + 1;
            }
        }
    }

    /** The OCI process of a command run in a container: the container's own, with the command. */
    static String execProcess(String containerSpec, List<String> command, boolean terminal) throws IOException {
        JsonNode spec = JSON.readTree(containerSpec);
        ObjectNode process = spec.path("process") instanceof ObjectNode p ? p.deepCopy() : JSON.createObjectNode();
        var args = process.putArray("args");
        command.forEach(args::add);
        process.put("terminal", terminal);
        process.remove("consoleSize");
        return JSON.writeValueAsString(process);
    }

    /** The running task of a container, for exec and attach. */
    Task running(Container container) throws IOException {
        Task task = task(container).orElseThrow(() -> HawserException.failedPrecondition(
                "container " + container.id() + " is not running"));
        TaskState.Status status = task.state().status();
        if (status != TaskState.Status.RUNNING && status != TaskState.Status.PAUSED) {
            throw HawserException.failedPrecondition("container " + container.id() + " is not running ("
                    + status.name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return task;
    }

    /** The CRI container an id or unique id prefix names. */
    Container container(String id) throws IOException {
        return lookup(id).orElseThrow(() -> HawserException.notFound("container " + id));
    }

    private Optional<Container> lookup(String id) throws IOException {
        if (id.isEmpty()) {
            throw Calls.invalid("container_id", "must not be empty");
        }
        Optional<Container> found = containers.find(id);
        return found.filter(c -> c.labels().containsKey(META_LABEL));
    }

    Meta meta(Container container) throws IOException {
        try {
            return JSON.readValue(container.labels().get(META_LABEL), Meta.class);
        } catch (JsonProcessingException e) {
            throw new IOException("container " + container.id() + " has a malformed " + META_LABEL + " label", e);
        }
    }

    private Optional<Task> task(Container container) throws IOException {
        return containers.task(container.id());
    }

    private Path startFile(String id) {
        return starts.resolve(id + ".json");
    }

    private Optional<Start> readStart(String id) throws IOException {
        Path file = startFile(id);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), Start.class));
    }

    private void writeStart(String id, Start start) throws IOException {
        Files.createDirectories(starts);
        Path temporary = starts.resolve(id + ".json.tmp");
        Files.write(temporary, JSON.writeValueAsBytes(start));
        Files.move(temporary, startFile(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The outcome of a wait, empty when it did not come within the time. */
    private static <T> Optional<T> await(CompletionStage<T> stage, long seconds) throws IOException {
        try {
            return Optional.of(stage.toCompletableFuture().get(seconds, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting");
        }
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * NANOS + instant.getNano();
    }

    private static long nowNanos() {
        return nanos(Instant.now());
    }
}
