package io.hawser.runtime.runc;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.host.FileTrees;
import io.hawser.errors.HawserException;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Ids;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Task;
import io.hawser.snapshots.Mounter;

/**
 * Tasks on an OCI runtime ({@code runc}, or any runtime with its command line), each process
 * supervised by conmon. Everything about a task lives in its shim state directory
 * {@code <shims>/<id>}: conmon's pid files, exit file and OOM marker, and the {@link ShimRecord}
 * naming what the runtime set up (the root filesystem mount, the streams). Exec'd processes have
 * theirs in {@code <shims>/<id>/exec/<exec id>}. Nothing else is kept, so a new instance on the same
 * directories finds every task again.
 */
public final class RuncRuntime implements Runtime, Closeable {

    static final String EXEC_DIR = "exec";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConmonLauncher launcher;
    private final Mounter mounter;
    private final Path shims;
    private final Duration timeout;
    private final DirectoryWatcher watcher;
    /** Handles by task id, so the waits and watches of one task are shared by every caller. */
    private final Map<String, RuncTask> tasks = new ConcurrentHashMap<>();
    /** Tasks being created now: their state directories hold no launched shim yet and must be left alone. */
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    /**
     * @param launcher starts conmon, and through it the OCI runtime
     * @param mounter  mounts the root filesystems
     * @param shims    the directory of the tasks' shim state directories, created if missing
     * @param timeout  how long one runtime command or conmon launch may take
     */
    public RuncRuntime(ConmonLauncher launcher, Mounter mounter, Path shims, Duration timeout) throws IOException {
        this.launcher = launcher;
        this.mounter = mounter;
        this.shims = Files.createDirectories(shims);
        this.timeout = timeout;
        this.watcher = new DirectoryWatcher();
    }

    @Override
    public Task create(CreateTaskRequest request) throws IOException {
        if (request.checkpoint() != null) {
            throw HawserException.unimplemented("restoring from a checkpoint is not supported by the runc runtime");
        }
        ConmonLaunch.Streams streams = streams(request.io());
        Path rootfs = rootPath(request.bundle());
        Path stateDir = shims.resolve(request.id());
        if (!creating.add(request.id())) {
            throw HawserException.alreadyExists("task " + request.id() + " (being created)");
        }
        try {
            return create(request, streams, rootfs, stateDir);
        } finally {
            creating.remove(request.id());
        }
    }

    private Task create(CreateTaskRequest request, ConmonLaunch.Streams streams, Path rootfs, Path stateDir) throws IOException {
        try {
            Files.createDirectory(stateDir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw HawserException.alreadyExists("task " + request.id());
        }
        ShimRecord intent = new ShimRecord(request.id(), "", request.bundle().toString(),
                request.rootfs().isEmpty() ? null : rootfs.toString(),
                streams.logPath() == null ? null : streams.logPath().toString(),
                streams.terminal(), streams.stdin(), streams.stdinOnce(), 0, 0, 0);
        try {
            // recorded before mounting, so a daemon that dies from here on leaves a mount it can find
            intent.write(stateDir);
            if (!request.rootfs().isEmpty()) {
                Files.createDirectories(rootfs);
                mounter.mount(request.rootfs(), rootfs);
            }
            ConmonContainer container = launcher.launch(
                    new ConmonLaunch(request.id(), request.bundle(), stateDir, streams, null), false).container();
            ShimRecord record = intent.launchedAs(container);
            record.write(stateDir);
            RuncTask task = new RuncTask(this, stateDir, record);
            tasks.put(request.id(), task);
            return task;
        } catch (IOException | RuntimeException e) {
            undo(stateDir, intent, e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IOException failure = new java.io.InterruptedIOException("creating task " + request.id() + " was interrupted");
            undo(stateDir, intent, failure);
            throw failure;
        }
    }

    /** Takes back a failed create: the mount and the state directory (the launcher removed the rest). */
    private void undo(Path stateDir, ShimRecord intent, Exception failure) {
        try {
            if (intent.rootfs() != null) {
                mounter.detach(Path.of(intent.rootfs()));
            }
            FileTrees.delete(stateDir);
        } catch (IOException | RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** How conmon holds the streams of an IO configuration. */
    static ConmonLaunch.Streams streams(IOConfig io) throws HawserException {
        return switch (io) {
            case IOConfig.Log log -> new ConmonLaunch.Streams(log.path(), log.terminal(), log.stdin(), log.stdinOnce());
            case IOConfig.Discard discard -> new ConmonLaunch.Streams(null, false, false, false);
            case IOConfig.Pipes pipes -> throw HawserException.unimplemented(
                    "the runc runtime keeps output in a log (IOConfig.Log) or discards it; it cannot write to caller's pipes");
        };
    }

    /**
     * The spec's root path, resolved against the bundle when relative. Read as a stream that skips
     * every other part: the spec is ~10 KiB (the seccomp profile), parsed on every task creation.
     */
    private static Path rootPath(Path bundle) throws IOException {
        Path config = bundle.resolve("config.json");
        String root = "";
        try (JsonParser parser = JSON.createParser(config.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw HawserException.invalidArgument(config + " is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("root") && value == JsonToken.START_OBJECT) {
                    root = JSON.<JsonNode>readTree(parser).path("path").asText("");
                } else {
                    parser.skipChildren();
                }
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw HawserException.invalidArgument("bundle " + bundle + " has no config.json");
        }
        if (root.isEmpty()) {
            throw HawserException.invalidArgument(config + " names no root.path");
        }
        return bundle.resolve(root);
    }

    @Override
    public List<Task> tasks() throws IOException {
        List<Task> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(shims)) {
            for (Path dir : dirs.sorted().toList()) {
                task(dir.getFileName().toString()).ifPresent(found::add);
            }
        }
        return found;
    }

    @Override
    public Optional<Task> task(String id) throws IOException {
        try {
            Ids.check(id, "task id");
        } catch (IllegalArgumentException invalid) {
            // no task can have it, and it must never name a path outside the shims directory
            return Optional.empty();
        }
        RuncTask known = tasks.get(id);
        if (known != null && Files.isDirectory(known.stateDir())) {
            return Optional.of(known);
        }
        // a task being created is not there yet; its half-made state must not be cleaned up under it
        if (creating.contains(id)) {
            return Optional.empty();
        }
        tasks.remove(id);
        Path stateDir = shims.resolve(id);
        if (!Files.isDirectory(stateDir)) {
            return Optional.empty();
        }
        Optional<ShimRecord> record = ShimRecord.read(stateDir);
        if (record.isEmpty() || !record.get().launched()) {
            // a create interrupted before conmon reported: nothing of it can be used
            cleanInterrupted(stateDir, record);
            return Optional.empty();
        }
        RuncTask task = tasks.computeIfAbsent(id, key -> new RuncTask(this, stateDir, record.get()));
        return Optional.of(task);
    }

    /** Removes what an interrupted create left: the container, conmon, the mount, the directory. */
    private void cleanInterrupted(Path stateDir, Optional<ShimRecord> record) throws IOException {
        String id = stateDir.getFileName().toString();
        try {
            launcher.runtime().delete(id, true);
        } catch (IOException notCreated) {
            // the runtime never got as far as creating it
        }
        Path conmonPid = stateDir.resolve("conmon.pid");
        if (Files.exists(conmonPid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(conmonPid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (record.isPresent() && record.get().rootfs() != null) {
            mounter.detach(Path.of(record.get().rootfs()));
        }
        FileTrees.delete(stateDir);
    }

    /** Forgets a deleted task's handle. */
    void forget(String id) {
        tasks.remove(id);
    }

    ConmonLauncher launcher() {
        return launcher;
    }

    Mounter mounter() {
        return mounter;
    }

    DirectoryWatcher watcher() {
        return watcher;
    }

    Duration timeout() {
        return timeout;
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
