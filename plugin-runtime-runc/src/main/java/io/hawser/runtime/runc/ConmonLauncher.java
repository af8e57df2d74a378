package io.hawser.runtime.runc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.host.FileTrees;

/**
 * Starts a container's init process under conmon the way CRI-O and Podman do, and drives the rest
 * of its life through the OCI runtime's command line.
 *
 * <p>The conmon command line (conmon 2.1.6), and why each flag:
 * <ul>
 * <li>{@code --api-version 1}: the sync pipe message becomes {@code {"data": PID, "message": "…"}},
 *     and with a negative pid on failure the message carries the runtime's error output.
 * <li>{@code --cid ID --cuuid ID --name ID}: conmon needs all three; the runtime gets {@code --cid}.
 * <li>{@code --runtime RUNC --runtime-arg=--root=ROOT}: conmon runs
 *     {@code RUNC --root=ROOT create --bundle B --pid-file P ID} (runtime args go before the
 *     subcommand), and {@code --console-socket} itself with {@code --terminal}.
 * <li>{@code --bundle B}: passed to the runtime; conmon also puts its {@code ctl} and {@code winsz}
 *     fifos here, and with {@code --full-attach} the {@code attach} socket. Whoever removes the
 *     bundle removes them. For an exec, B is the exec's own state directory.
 * <li>{@code --full-attach}: the attach socket is {@code B/attach} itself rather than a symlinked
 *     short path under {@code --socket-dir-path}; conmon binds it through {@code /proc/self/fd/N/attach}
 *     and {@link AttachSocket} connects the same way, so the path's length does not matter.
 * <li>{@code --container-pidfile S/container.pid}: handed to {@code runc create --pid-file}.
 * <li>{@code --conmon-pidfile S/conmon.pid}: the long-lived conmon's pid, written by its parent
 *     after the fork.
 * <li>{@code --persist-dir S}: conmon writes {@code S/exit} (the exit code in decimal: a process
 *     killed by signal N gives 128+N) and {@code S/oom} when the OOM killer ended it — the layout
 *     {@link io.hawser.shim.ExitFile} reads. {@code --exit-dir} is not passed: it would write a
 *     second copy named after the id into a shared directory.
 * <li>{@code --log-path k8s-file:L}: output in the CRI log format,
 *     {@code TIME STREAM F|P TEXT} per line; {@code none:} when output is discarded.
 * <li>{@code --no-sync-log}: conmon does not {@code fsync} the log when the process ends, as
 *     containerd's shim and docker's loggers never do; the sync came before the exit file, so
 *     every exit (and a whole {@code run --rm}) waited milliseconds for the disk.
 * <li>{@code --terminal}, {@code --stdin} when asked; {@code --leave-stdin-open} unless stdin is to
 *     close with the first client that detaches.
 * <li>For an exec, {@code --exec --exec-process-spec P}: conmon runs {@code RUNC exec -d --process P}
 *     and writes the exec's exit file and pid files into its own state directory. With
 *     {@code --exec-attach} it waits for the caller to attach before running the process, so not
 *     a byte of its output is missed: conmon reads the start pipe ({@code _OCI_STARTPIPE}) once
 *     before forking, writes a line to the attach pipe ({@code _OCI_ATTACHPIPE}) once its attach
 *     socket listens, and its child reads the start pipe again before running the runtime. Both
 *     pipes are fifos in the state directory, opened read-write on both sides (conmon's as its
 *     descriptors 4 and 5) so that neither side's open blocks.
 * </ul>
 * No {@code --sync}: without it conmon forks twice and the parent exits, so the monitor is
 * re-parented to pid 1 (or the nearest subreaper) and outlives this JVM. No {@code --syslog} or
 * {@code --log-level}: the monitor points its own stdin, stdout and stderr at {@code /dev/null}, so
 * its messages would go nowhere useful; what it prints before forking goes to
 * {@code S/conmon.stderr}, stdout included (glib reports a bad flag there). On these machines it
 * always logs that it cannot lower its {@code oom_score_adj} (no {@code CAP_SYS_RESOURCE}) and
 * carries on.
 *
 * <p>The sync pipe: conmon reports the result of {@code runc create} on the file descriptor named
 * by the environment variable {@code _OCI_SYNCPIPE}. It cannot be stdout, which conmon replaces
 * with {@code /dev/null}, and {@link ProcessBuilder} passes a child no descriptors but 0–2, so
 * conmon is started with {@code posix_spawn(3)} ({@link SpawnedChild}), which makes a pipe its
 * descriptor 3. Through {@link ProcessBuilder} that took a shell, and a {@code head} to keep the
 * JDK's child alive until the line was in the JVM's pipe (the JDK's reaper closes a child's stdout
 * pipe when the child exits, and conmon's first process exits before the monitor reports): three
 * program starts, a few milliseconds on every launch. The pipe's write end is held by conmon's
 * first process, which exits once it has forked the monitor and written {@code conmon.pid}, and by
 * the monitor, which keeps it until it exits: the line comes from the monitor after
 * {@code runc create}, and end of file before a line means conmon ended without reporting (bad
 * flags, for one; its first process's exit status and {@code conmon.stderr} say why). The first
 * process is the JVM's child, reaped here with {@code waitpid(2)}: the JDK's reaper does not know it.
 * A command missing from the image arrives on the sync pipe as runc's
 * {@code exec: "CMD": executable file not found in $PATH}; runc has then already removed the
 * container, and conmon exits without an exit file.
 *
 * <p>The monitor is moved into its {@link ConmonCgroup} on a thread of its own as soon as the first
 * process has exited (its pid is in {@code conmon.pid} then), while conmon and runc start; the
 * launch waits for the move only once the runtime has reported. A move that fails leaves the
 * monitor in the daemon's cgroup, where it works as well; the first such failure is logged.
 */
public final class ConmonLauncher {

    /** Name of the exit file in a container's state directory, as conmon names it. */
    static final String EXIT_FILE = "exit";
    private static final String CONTAINER_PIDFILE = "container.pid";
    private static final String CONMON_PIDFILE = "conmon.pid";
    private static final String CONMON_STDERR = "conmon.stderr";
    private static final String START_FIFO = "start";
    private static final String ATTACH_FIFO = "attached";
    private static final byte[] NEWLINE = {'\n'};
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The quoted message in a logrus line, which is how runc formats its errors. */
    private static final Pattern LOGRUS_MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final System.Logger LOG = System.getLogger(ConmonLauncher.class.getName());

    private final Path conmon;
    private final RuncCommand runtime;
    private final ConmonCgroup monitorCgroup;
    private final Duration timeout;
    /** Whether a failed move into {@link #monitorCgroup} has been logged; later ones are not. */
    private final AtomicBoolean moveFailureLogged = new AtomicBoolean();

    /** A launched process, and for an exec launched attached the connection made before it ran. */
    record Launched(ConmonContainer container, Optional<AttachSocket> attachment) {}

    /**
     * @param conmon  the conmon binary
     * @param runtime       the OCI runtime conmon runs
     * @param monitorCgroup where each monitor is moved once it has forked
     * @param timeout       how long creating a container may take, and waiting for conmon to exit on delete
     * @throws IOException when conmon is not an executable file
     */
    public ConmonLauncher(Path conmon, RuncCommand runtime, ConmonCgroup monitorCgroup, Duration timeout) throws IOException {
        if (!Files.isRegularFile(conmon) || !Files.isExecutable(conmon)) {
            throw new IOException("conmon " + conmon + " not found or not executable");
        }
        this.conmon = conmon;
        this.runtime = runtime;
        this.monitorCgroup = monitorCgroup;
        this.timeout = timeout;
    }

    /** The OCI runtime conmon runs. */
    public RuncCommand runtime() {
        return runtime;
    }

    /**
     * Creates the container (or runs the exec'd process) under a detached conmon and returns once
     * the runtime has succeeded; a container's process waits for {@link #start}. On failure nothing
     * is left: no runtime state, no conmon, no state directory.
     *
     * @param attach for an exec with a log, connect to its output before it runs
     * @throws IOException naming what failed: the runtime's error (for example a command missing
     *                     from the image), conmon's exit status and error output, or the timeout
     */
    Launched launch(ConmonLaunch launch, boolean attach) throws IOException, InterruptedException {
        if (attach && (!launch.exec() || launch.streams().logPath() == null)) {
            throw new IllegalArgumentException("only an exec with a log is launched attached");
        }
        Path stateDir = Files.createDirectories(launch.stateDir());
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put("_OCI_SYNCPIPE", Integer.toString(SpawnedChild.PIPE_FD));
        List<Path> fifos = List.of();
        if (attach) {
            LibC.INSTANCE.mkfifo(stateDir.resolve(START_FIFO).toString(), 0600);
            LibC.INSTANCE.mkfifo(stateDir.resolve(ATTACH_FIFO).toString(), 0600);
            // conmon's descriptors 4 and 5
            fifos = List.of(stateDir.resolve(START_FIFO), stateDir.resolve(ATTACH_FIFO));
            environment.put("_OCI_STARTPIPE", "4");
            environment.put("_OCI_ATTACHPIPE", "5");
        }
        SpawnedChild conmon;
        try {
            // conmon also writes its OOM marker to its working directory, which must not be the daemon's
            conmon = SpawnedChild.spawn(command(launch, attach), environment, stateDir,
                    stateDir.resolve(CONMON_STDERR), fifos, timeout);
        } catch (IOException | RuntimeException e) {
            // nothing runs: the fifos and conmon.stderr are all there is to remove
            FileTrees.delete(stateDir);
            throw e;
        }
        CompletableFuture<Void> moved = moveMonitor(conmon, stateDir);
        AttachSocket attachment = null;
        try {
            if (attach) {
                attachment = attachBeforeStart(launch, conmon);
            }
            awaitCreated(launch, conmon);
            awaitMoved(moved, launch.id());
            ConmonContainer container = new ConmonContainer(launch.id(), stateDir,
                    readPid(stateDir.resolve(CONTAINER_PIDFILE)), readPid(stateDir.resolve(CONMON_PIDFILE)));
            return new Launched(container, Optional.ofNullable(attachment));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (attachment != null) {
                attachment.close();
            }
            // before abandoning: a first process killed here forks no monitor that abandon would miss
            conmon.close();
            abandon(launch, stateDir);
            throw e;
        } finally {
            conmon.close();
        }
    }

    /**
     * Moves the monitor into {@link #monitorCgroup} once conmon's first process has forked it and
     * exited, on a platform thread: the wait for that exit is a {@code poll(2)} in native code, and
     * the move itself waits for the kernel (see {@link ConmonCgroup}), which is why it runs beside
     * the launch rather than in it. The first process is the JVM's child and is not reaped before
     * the runtime has reported, so its pid names no other process meanwhile.
     */
    private CompletableFuture<Void> moveMonitor(SpawnedChild conmon, Path stateDir) {
        CompletableFuture<Void> moved = new CompletableFuture<>();
        if (monitorCgroup.isNone()) {
            moved.complete(null);
            return moved;
        }
        long firstProcess = conmon.pid();
        Thread.ofPlatform().daemon().name("hawser-conmon-cgroup-" + firstProcess).start(() -> {
            try {
                Path pidfile = stateDir.resolve(CONMON_PIDFILE);
                // a first process that failed before forking wrote no pid file, and there is no monitor
                if (ProcessExit.await(firstProcess, timeout) && Files.exists(pidfile)) {
                    monitorCgroup.adopt(readPid(pidfile));
                }
                moved.complete(null);
            } catch (Throwable e) {
                moved.completeExceptionally(e);
            }
        });
        return moved;
    }

    /** Waits for {@link #moveMonitor}; a failure is logged (the first only), not thrown: the monitor works where it is. */
    private void awaitMoved(CompletableFuture<Void> moved, String id) throws InterruptedException {
        String failure;
        try {
            moved.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return;
        } catch (ExecutionException e) {
            failure = e.getCause().getMessage();
        } catch (TimeoutException e) {
            failure = "not moved within " + timeout;
        }
        if (moveFailureLogged.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "conmon of " + id + " stays in the daemon's cgroup, not "
                    + monitorCgroup.path() + ": " + failure + " (later failures are not logged)");
        }
    }

    /**
     * The exec handshake (see the class comment): let conmon fork, wait until its attach socket
     * listens, connect, then let it run the process.
     *
     * @return the connection, or {@code null} when conmon ended first; its sync pipe says why
     */
    private AttachSocket attachBeforeStart(ConmonLaunch launch, SpawnedChild conmon) throws IOException, InterruptedException {
        Path stateDir = launch.stateDir();
        // read-write: opening a fifo so never blocks (a blocked open would pin a virtual thread)
        try (FileChannel start = FileChannel.open(stateDir.resolve(START_FIFO), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel attached = FileChannel.open(stateDir.resolve(ATTACH_FIFO), StandardOpenOption.READ, StandardOpenOption.WRITE);
             // a second handle to wake the reader: a channel's reads and writes share one lock
             FileChannel waker = FileChannel.open(stateDir.resolve(ATTACH_FIFO), StandardOpenOption.WRITE)) {
            start.write(ByteBuffer.wrap(NEWLINE));
            CompletableFuture<String> report = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    report.complete(readLine(Channels.newInputStream(attached)));
                } catch (IOException e) {
                    report.completeExceptionally(e);
                }
            });
            // holding the fifo open ourselves, its end of file never comes; the sync pipe's line or end does
            conmon.firstLine().thenRun(() -> report.complete(null));
            String line;
            try {
                line = report.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("conmon did not open its attach socket for exec " + stateDir.getFileName() + " in "
                        + launch.id() + " within " + timeout + ": " + conmonErrors(stateDir));
            } catch (ExecutionException e) {
                throw new IOException("reading conmon's attach pipe for " + launch.id() + " failed", e.getCause());
            } finally {
                if (!report.isDone() || report.getNow(null) == null) {
                    // wakes the reader, which would otherwise wait on the fifo for good
                    waker.write(ByteBuffer.wrap(NEWLINE));
                }
            }
            if (line == null) {
                return null;
            }
            AttachSocket attachment = AttachSocket.connect(launch.bundle(), launch.streams().stdin());
            start.write(ByteBuffer.wrap(NEWLINE));
            return attachment;
        }
    }

    /** Starts the user process of a container created by {@link #launch}. */
    public void start(ConmonContainer container) throws IOException {
        runtime.start(container.id());
    }

    /** Signals the init process, or with {@code all} every process of the container. */
    public void kill(ConmonContainer container, int signal, boolean all) throws IOException {
        runtime.kill(container.id(), signal, all);
    }

    /** The runtime's view of the container. */
    public RuncState state(ConmonContainer container) throws IOException {
        return runtime.state(container.id());
    }

    /**
     * Deletes the container from the runtime (its cgroup with it), waits for conmon to finish
     * writing the exit file and exit, and removes the state directory.
     *
     * @param force kill the container first if it still runs
     */
    public void delete(ConmonContainer container, boolean force) throws IOException, InterruptedException {
        runtime.delete(container.id(), force);
        awaitExit(container.conmonPid());
        FileTrees.delete(container.stateDir());
    }

    /** Waits for a conmon to exit, once its process has ended and its exit file is written. */
    void awaitExit(long pid) throws IOException {
        if (!ProcessExit.await(pid, timeout)) {
            throw new IOException("conmon (pid " + pid + ") still runs " + timeout + " after its process ended");
        }
    }

    private List<String> command(ConmonLaunch launch, boolean attach) {
        Path state = launch.stateDir();
        ConmonLaunch.Streams streams = launch.streams();
        List<String> command = new ArrayList<>(List.of(conmon.toString(),
                "--api-version", "1",
                "--cid", launch.id(), "--cuuid", launch.id(), "--name", launch.id(),
                "--runtime", runtime.runtime().toString(),
                "--bundle", launch.bundle().toString(),
                "--full-attach",
                "--container-pidfile", state.resolve(CONTAINER_PIDFILE).toString(),
                "--conmon-pidfile", state.resolve(CONMON_PIDFILE).toString(),
                "--persist-dir", state.toString(),
                "--log-path", streams.logPath() == null ? "none:" : "k8s-file:" + streams.logPath(),
                "--no-sync-log"));
        runtime.globalArgs().forEach(arg -> command.add("--runtime-arg=" + arg));
        if (streams.terminal()) {
            command.add("--terminal");
        }
        if (streams.stdin()) {
            command.add("--stdin");
            if (!streams.stdinOnce()) {
                command.add("--leave-stdin-open");
            }
        }
        if (launch.exec()) {
            command.addAll(List.of("--exec", "--exec-process-spec", launch.processSpec().toString()));
            if (attach) {
                command.add("--exec-attach");
            }
        }
        return command;
    }

    /**
     * Reads conmon's report of {@code runc create}: a pid, or on failure the runtime's error; and
     * reaps conmon's first process, which has then written {@code conmon.pid}.
     */
    private void awaitCreated(ConmonLaunch launch, SpawnedChild conmon) throws IOException, InterruptedException {
        String report;
        try {
            report = conmon.firstLine().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new IOException("conmon did not report creating container " + launch.id() + " within " + timeout);
            }
            throw new IOException("reading conmon's sync pipe for container " + launch.id() + " failed", e.getCause());
        }
        // the first process exits right after forking, long before the monitor reports, or has closed the pipe failing
        int status = conmon.awaitExit(timeout);
        if (report == null) {
            throw new IOException("conmon exited without reporting on container " + launch.id()
                    + ": " + conmonErrors(launch.stateDir(), status));
        }
        JsonNode message = JSON.readTree(report);
        long pid = message.path("data").asLong(-1);
        if (pid <= 0) {
            String error = runtimeError(message.path("message").asText(report));
            throw new IOException("creating container " + launch.id() + " with " + runtime.runtime() + " failed: "
                    + missingProgram(launch).map(problem -> problem + " (" + runtime.runtime() + ": " + error + ")").orElse(error));
        }
    }

    /** A missing or unusable program, which the runtime's error does not always name. */
    private static Optional<String> missingProgram(ConmonLaunch launch) {
        try {
            JsonNode process = launch.processSpec() != null
                    ? JSON.readTree(launch.processSpec().toFile())
                    : JSON.readTree(launch.bundle().resolve("config.json").toFile()).path("process");
            return CommandLookup.problem(launch.bundle().resolve("rootfs"), process);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One line from a pipe, read byte by byte so nothing after it is consumed; null at end of file. */
    private static String readLine(InputStream pipe) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = pipe.read(); b != '\n'; b = pipe.read()) {
            if (b < 0) {
                return null;
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private static String conmonErrors(Path stateDir) throws IOException {
        Path errors = stateDir.resolve(CONMON_STDERR);
        return Files.exists(errors) ? Files.readString(errors).strip() : "";
    }

    /** What conmon printed before forking, then its exit status when that says it failed. */
    private static String conmonErrors(Path stateDir, int status) throws IOException {
        String errors = conmonErrors(stateDir);
        if (status == 0) {
            return errors;
        }
        return (errors.isEmpty() ? "" : errors + "\n") + "conmon exited with status " + status;
    }

    /** The message of runc's logrus-formatted error, unquoted; any other text as it is. */
    private static String runtimeError(String text) {
        Matcher matcher = LOGRUS_MESSAGE.matcher(text);
        return matcher.find() ? matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : text.strip();
    }

    /**
     * Removes what a failed launch may have left: the runtime's container (never for an exec,
     * whose container runs on), conmon, the state directory.
     */
    private void abandon(ConmonLaunch launch, Path stateDir) throws IOException, InterruptedException {
        if (!launch.exec()) {
            try {
                runtime.delete(launch.id(), true);
            } catch (IOException alreadyGone) {
                // runc removes the container itself when create fails
            }
        }
        Path conmonPidfile = stateDir.resolve(CONMON_PIDFILE);
        if (Files.exists(conmonPidfile)) {
            long conmonPid = readPid(conmonPidfile);
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
            awaitExit(conmonPid);
        }
        FileTrees.delete(stateDir);
    }

    private static long readPid(Path pidfile) throws IOException {
        String text = Files.readString(pidfile, StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("pid file " + pidfile + " holds no pid: '" + text + "'", e);
        }
    }
}
