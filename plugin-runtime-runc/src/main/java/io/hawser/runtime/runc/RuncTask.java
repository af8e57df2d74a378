package io.hawser.runtime.runc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.errors.HawserException;
import io.hawser.host.FileTrees;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Ids;
import io.hawser.runtime.Process;
import io.hawser.runtime.Resources;
import io.hawser.runtime.Signals;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import io.hawser.runtime.TaskState.Status;
import io.hawser.shim.ExitFile;

/** A task: its container in the OCI runtime, its init process under conmon. */
final class RuncTask extends ConmonProcess implements Task {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROCESS_SPEC = "process.json";

    /** Guarded by this. */
    private CompletableFuture<Void> oom;
    /** Execs being started now: their directories hold no record yet and must be left alone. */
    private final java.util.Set<String> starting = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RuncTask(RuncRuntime runtime, Path stateDir, ShimRecord record) {
        super(runtime, stateDir, record);
    }

    @Override
    public String id() {
        return record.id();
    }

    @Override
    String describe() {
        return "task " + record.id();
    }

    private RuncCommand runc() {
        return runtime.launcher().runtime();
    }

    @Override
    public TaskState state() throws IOException {
        Optional<ExitStatus> exited = ExitFile.read(stateDir.resolve(ConmonLauncher.EXIT_FILE));
        if (exited.isPresent()) {
            return new TaskState(Status.STOPPED, pid(), exited.get());
        }
        RuncState state;
        try {
            state = runc().state(id());
        } catch (IOException e) {
            Optional<ExitStatus> status = exitStatus();
            return status.map(s -> new TaskState(Status.STOPPED, pid(), s)).orElse(new TaskState(Status.UNKNOWN, pid(), null));
        }
        return switch (state.status()) {
            case "created", "creating" -> new TaskState(Status.CREATED, pid(), null);
            case "running" -> new TaskState(Status.RUNNING, pid(), null);
            case "pausing" -> new TaskState(Status.PAUSING, pid(), null);
            case "paused" -> new TaskState(Status.PAUSED, pid(), null);
            // the process has ended; conmon is about to write the exit file
            case "stopped" -> new TaskState(Status.STOPPED, pid(), awaitExit());
            default -> new TaskState(Status.UNKNOWN, pid(), null);
        };
    }

    private ExitStatus awaitExit() throws IOException {
        try {
            return ExitFileWatch.await(stateDir.resolve(ConmonLauncher.EXIT_FILE), runtime.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the exit of " + describe());
        }
    }

    private Status require(String action, Status... allowed) throws IOException {
        Status status = state().status();
        for (Status ok : allowed) {
            if (status == ok) {
                return status;
            }
        }
        throw HawserException.failedPrecondition("cannot " + action + " " + describe() + ": it is " + status.name().toLowerCase());
    }

    @Override
    public void start() throws IOException {
        // no look at the state first: one runtime call less on every start; runc refuses any
        // state but created, and only then is the state asked for, to say why
        try {
            runc().start(id());
        } catch (IOException e) {
            require("start", Status.CREATED);
            throw e;
        }
    }

    @Override
    public void kill(int signal, boolean all) throws IOException {
        if (exitStatus().isPresent()) {
            return;
        }
        try {
            runc().kill(id(), signal, all);
        } catch (IOException e) {
            // the process may have ended between the look and the signal
            if (exitStatus().isEmpty() && !"stopped".equals(runc().state(id()).status())) {
                throw e;
            }
        }
    }

    @Override
    public Process exec(ExecRequest request) throws IOException {
        require("exec in", Status.RUNNING);
        ConmonLaunch.Streams streams = RuncRuntime.streams(request.io());
        JsonNode spec = JSON.readTree(request.processSpec());
        if (!spec.isObject()) {
            throw HawserException.invalidArgument("exec " + request.execId() + ": the process spec is not a JSON object");
        }
        if (spec.path("terminal").asBoolean(false) != streams.terminal()) {
            throw HawserException.invalidArgument("exec " + request.execId() + ": the process spec's terminal ("
                    + spec.path("terminal").asBoolean(false) + ") disagrees with its IO (" + streams.terminal() + ")");
        }
        if (!starting.add(request.execId())) {
            throw HawserException.alreadyExists("exec " + request.execId() + " in " + describe() + " (being started)");
        }
        try {
            return exec(request, streams);
        } finally {
            starting.remove(request.execId());
        }
    }

    private Process exec(ExecRequest request, ConmonLaunch.Streams streams) throws IOException {
        Path execs = Files.createDirectories(stateDir.resolve(RuncRuntime.EXEC_DIR));
        Path execDir = execs.resolve(request.execId());
        try {
            Files.createDirectory(execDir);
        } catch (FileAlreadyExistsException e) {
            throw HawserException.alreadyExists("exec " + request.execId() + " in " + describe());
        }
        Path processSpec = execDir.resolve(PROCESS_SPEC);
        Files.writeString(processSpec, request.processSpec(), StandardCharsets.UTF_8);
        ConmonLaunch launch = new ConmonLaunch(id(), execDir, execDir, streams, processSpec);
        ConmonLauncher.Launched launched;
        try {
            launched = runtime.launcher().launch(launch, streams.logPath() != null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            FileTrees.delete(execDir);
            throw new InterruptedIOException("exec " + request.execId() + " in " + describe() + " was interrupted");
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(execDir);
            throw e;
        }
        ShimRecord execRecord = new ShimRecord(id(), request.execId(), execDir.toString(), null,
                streams.logPath() == null ? null : streams.logPath().toString(), streams.terminal(), streams.stdin(),
                streams.stdinOnce(), 0, 0, 0).launchedAs(launched.container());
        execRecord.write(execDir);
        return new ExecProcess(runtime, execDir, execRecord, launched.attachment().map(BufferedAttachment::new));
    }

    @Override
    public Optional<Process> process(String execId) throws IOException {
        Ids.check(execId, "exec id");
        Path execDir = stateDir.resolve(RuncRuntime.EXEC_DIR).resolve(execId);
        // one being started is not there yet; its half-made directory must not be cleaned up under it
        if (starting.contains(execId) || !Files.isDirectory(execDir)) {
            return Optional.empty();
        }
        Optional<ShimRecord> execRecord = ShimRecord.read(execDir);
        if (execRecord.isEmpty()) {
            // an exec interrupted before conmon reported; its conmon, if any, never ran the process
            Path conmonPid = execDir.resolve("conmon.pid");
            if (Files.exists(conmonPid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(conmonPid).strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            FileTrees.delete(execDir);
            return Optional.empty();
        }
        return Optional.of(new ExecProcess(runtime, execDir, execRecord.get(), Optional.empty()));
    }

    @Override
    public List<Long> pids() throws IOException {
        require("list the processes of", Status.RUNNING, Status.PAUSED, Status.PAUSING, Status.CREATED);
        return runc().pids(id());
    }

    @Override
    public void pause() throws IOException {
        require("pause", Status.RUNNING);
        runc().pause(id());
    }

    @Override
    public void resume() throws IOException {
        require("resume", Status.PAUSED);
        runc().resume(id());
    }

    @Override
    public void update(Resources resources) throws IOException {
        require("update", Status.RUNNING, Status.PAUSED, Status.CREATED);
        Path file = stateDir.resolve("resources.json");
        Files.write(file, JSON.writeValueAsBytes(ociResources(resources)));
        try {
            runc().update(id(), file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The OCI spec's {@code linux.resources} object for what an update names. */
    static ObjectNode ociResources(Resources resources) {
        ObjectNode oci = JSON.createObjectNode();
        ObjectNode memory = JSON.createObjectNode();
        putIfSet(memory, "limit", resources.memoryLimitBytes());
        putIfSet(memory, "swap", resources.memorySwapBytes());
        ObjectNode cpu = JSON.createObjectNode();
        putIfSet(cpu, "shares", resources.cpuShares());
        putIfSet(cpu, "quota", resources.cpuQuotaMicros());
        putIfSet(cpu, "period", resources.cpuPeriodMicros());
        if (resources.cpusetCpus() != null) {
            cpu.put("cpus", resources.cpusetCpus());
        }
        if (resources.cpusetMems() != null) {
            cpu.put("mems", resources.cpusetMems());
        }
        ObjectNode pids = JSON.createObjectNode();
        putIfSet(pids, "limit", resources.pidsLimit());
        if (!memory.isEmpty()) {
            oci.set("memory", memory);
        }
        if (!cpu.isEmpty()) {
            oci.set("cpu", cpu);
        }
        if (!pids.isEmpty()) {
            oci.set("pids", pids);
        }
        if (!resources.hugepageLimitBytes().isEmpty()) {
            var limits = oci.putArray("hugepageLimits");
            resources.hugepageLimitBytes().forEach((size, limit) -> limits.addObject().put("pageSize", size).put("limit", limit));
        }
        if (!resources.unified().isEmpty()) {
            ObjectNode unified = oci.putObject("unified");
            resources.unified().forEach(unified::put);
        }
        return oci;
    }

    private static void putIfSet(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    @Override
    public void reopenLog() throws IOException {
        requireLiveStreams("reopen the log of");
        // the caller (kubelet's log rotation) expects the fresh file to be there when this returns
        Path log = Path.of(record.logPath());
        CompletableFuture<Boolean> reopened = runtime.watcher()
                .await(log.getParent(), () -> Files.exists(log) ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty());
        try {
            ConmonControl.reopenLog(conmonDir());
            reopened.get(runtime.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("conmon did not reopen the log " + log + " of " + describe() + " within " + runtime.timeout());
        } catch (ExecutionException e) {
            throw new IOException("waiting for the log " + log + " of " + describe() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while conmon reopened the log of " + describe());
        } finally {
            reopened.cancel(false);
        }
    }

    @Override
    public synchronized CompletionStage<Void> oom() {
        if (oom == null) {
            Path marker = stateDir.resolve(ExitFile.OOM_MARKER);
            oom = runtime.watcher()
                    .await(stateDir, () -> Files.exists(marker) ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty())
                    .thenApply(seen -> null);
        }
        return oom.copy();
    }

    @Override
    public Stats stats() throws IOException {
        require("measure", Status.RUNNING, Status.PAUSED, Status.PAUSING, Status.CREATED);
        return CgroupStats.of(pid());
    }

    /**
     * Deletes a task that has ended, or one created and never started (its waiting process is
     * killed first): the exec'd processes, the container, conmon, the mount, the state directory.
     */
    @Override
    public ExitStatus delete() throws IOException {
        Status status = state().status();
        if (status == Status.CREATED) {
            runc().kill(id(), Signals.SIGKILL, false);
            awaitExit();
        } else if (status != Status.STOPPED && status != Status.UNKNOWN) {
            throw HawserException.failedPrecondition("cannot delete " + describe() + ": it is "
                    + status.name().toLowerCase() + "; stop it first");
        }
        deleteExecs();
        // the root filesystem goes while the runtime deletes the container: no process of it is
        // left (a process the runtime still kills holds its own copy of the mount, in its namespace)
        CompletableFuture<Void> unmounted = record.rootfs() == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> unmount(Path.of(record.rootfs())), Thread.ofVirtual()::start);
        try {
            runc().delete(id(), status == Status.UNKNOWN);
        } catch (IOException e) {
            if (runc().list().contains(id())) {
                // the unmount may go on: a second delete finds the root filesystem unmounted or does it
                throw e;
            }
        }
        awaitUnmounted(unmounted);
        ExitStatus exit = release();
        FileTrees.delete(stateDir);
        runtime.forget(id());
        return exit;
    }

    private void deleteExecs() throws IOException {
        Path execs = stateDir.resolve(RuncRuntime.EXEC_DIR);
        if (!Files.isDirectory(execs)) {
            return;
        }
        List<String> ids = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(execs)) {
            dirs.forEach(dir -> ids.add(dir.getFileName().toString()));
        }
        for (String execId : ids) {
            try {
                Optional<Process> found = process(execId);
                if (found.isPresent()) {
                    // they died with the container's pid namespace; their conmons are writing exit files
                    ((ExecProcess) found.get()).awaitExit();
                    found.get().delete();
                }
            } catch (IOException e) {
                // the exec's own caller (an attached `hawser exec`) deleted it as it ended
                if (Files.exists(execs.resolve(execId))) {
                    throw e;
                }
            }
        }
    }

    private void unmount(Path rootfs) {
        try {
            try {
                runtime.mounter().unmount(rootfs);
            } catch (IOException busy) {
                // a straggler with a file open inside must not keep the task from going
                runtime.mounter().detach(rootfs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitUnmounted(CompletableFuture<Void> unmounted) throws IOException {
        try {
            unmounted.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unmounting a root filesystem");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException unchecked ? unchecked.getCause()
                    : new IOException("unmounting a root filesystem failed", e.getCause());
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
