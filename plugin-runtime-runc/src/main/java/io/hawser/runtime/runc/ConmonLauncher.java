package io.hawser.runtime.runc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 *     bundle removes them.
 * <li>{@code --full-attach}: the attach socket is {@code B/attach} itself rather than a symlinked
 *     short path under {@code --socket-dir-path}, so its path must fit a unix socket address
 *     (107 bytes); checked before launching.
 * <li>{@code --container-pidfile S/container.pid}: handed to {@code runc create --pid-file}.
 * <li>{@code --conmon-pidfile S/conmon.pid}: written by the long-lived conmon after its fork.
 * <li>{@code --persist-dir S}: conmon writes {@code S/exit} (the exit code in decimal: a process
 *     killed by signal N gives 128+N) and {@code S/oom} when the OOM killer ended it — the layout
 *     {@link io.hawser.shim.ExitFile} reads. {@code --exit-dir} is not passed: it would write a
 *     second copy named after the id into a shared directory.
 * <li>{@code --log-path k8s-file:L}: output in the CRI log format,
 *     {@code TIME STREAM F|P TEXT} per line.
 * <li>{@code --terminal} when asked; {@code --stdin} is not passed yet (no stdin).
 * </ul>
 * No {@code --sync}: without it conmon forks twice and the parent exits, so the monitor is
 * re-parented to pid 1 (or the nearest subreaper) and outlives this JVM. No {@code --syslog} or
 * {@code --log-level}: the monitor points its own stdin, stdout and stderr at {@code /dev/null}, so
 * its messages would go nowhere useful; what it prints before forking (bad flags) goes to
 * {@code S/conmon.stderr}. On these machines it always logs that it cannot lower its
 * {@code oom_score_adj} (no {@code CAP_SYS_RESOURCE}) and carries on.
 *
 * <p>The sync pipe: conmon reports the result of {@code runc create} on the file descriptor named
 * by the environment variable {@code _OCI_SYNCPIPE}. It cannot be stdout, which conmon replaces
 * with {@code /dev/null}, and Java passes a child no descriptors but 0–2, so conmon is started
 * through {@code sh -c '{ "$0" "$@" 3>&1 || echo … >&2; } | head -n 1'}: descriptor 3 is a pipe
 * that survives the replacement, and {@code head} copies its first line (the only one read) to the
 * JVM's stdout pipe. The shell in between is needed, not just {@code exec} of conmon: the process
 * Java started must not exit before the line is in the JVM's pipe. Without {@code --sync} conmon's
 * parent exits right after forking, before {@code runc create} has run, and when a child exits the
 * JDK's process reaper drains what is in its stdout pipe <em>at that moment</em> and closes the
 * pipe ({@code ProcessImpl.ProcessPipeInputStream.processExited}); a line the detached monitor
 * writes later is lost and the reader sees end of file. The JVM's first launch always lost that
 * race (its reader thread starts slowly), later ones usually won it. The shell now exits only after
 * {@code head} has copied the line (or seen end of file), so the reaper keeps the line.
 * conmon's own exit status is lost in the pipeline (no {@code pipefail} in dash), so a failing
 * conmon says so on stderr.
 * A command missing from the image arrives there as runc's
 * {@code exec: "CMD": executable file not found in $PATH}; runc has then already removed the
 * container, and conmon exits without an exit file.
 */
public final class ConmonLauncher {

    /** Name of the exit file in a container's state directory, as conmon names it. */
    static final String EXIT_FILE = "exit";
    private static final String CONTAINER_PIDFILE = "container.pid";
    private static final String CONMON_PIDFILE = "conmon.pid";
    private static final String CONMON_STDERR = "conmon.stderr";
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The quoted message in a logrus line, which is how runc formats its errors. */
    private static final Pattern LOGRUS_MESSAGE = Pattern.compile("msg=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path conmon;
    private final RuncCommand runtime;
    private final Duration timeout;

    /**
     * @param conmon  the conmon binary
     * @param runtime the OCI runtime conmon runs
     * @param timeout how long creating a container may take, and waiting for conmon to exit on delete
     * @throws IOException when conmon is not an executable file
     */
    public ConmonLauncher(Path conmon, RuncCommand runtime, Duration timeout) throws IOException {
        if (!Files.isRegularFile(conmon) || !Files.isExecutable(conmon)) {
            throw new IOException("conmon " + conmon + " not found or not executable");
        }
        this.conmon = conmon;
        this.runtime = runtime;
        this.timeout = timeout;
    }

    /**
     * Creates the container under a detached conmon and returns once {@code runc create} has
     * succeeded; the process waits for {@link #start}. On failure nothing is left: no runtime
     * state, no conmon, no state directory.
     *
     * @throws IOException naming what failed: the runtime's error (for example a command missing
     *                     from the image), conmon's exit status and error output, or the timeout
     */
    public ConmonContainer launch(ConmonLaunch launch) throws IOException, InterruptedException {
        Path attachSocket = launch.bundle().resolve("attach");
        if (attachSocket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IOException("bundle path too long for conmon's attach socket " + attachSocket
                    + " (at most " + MAX_SOCKET_PATH + " bytes)");
        }
        Path stateDir = Files.createDirectories(launch.stateDir());
        ProcessBuilder builder = new ProcessBuilder(command(launch))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(stateDir.resolve(CONMON_STDERR).toFile());
        builder.environment().put("_OCI_SYNCPIPE", "3");
        Process process = builder.start();
        try {
            awaitCreated(launch, process);
            return new ConmonContainer(launch.id(), stateDir, readPid(stateDir.resolve(CONTAINER_PIDFILE)),
                    readPid(stateDir.resolve(CONMON_PIDFILE)));
        } catch (IOException | InterruptedException | RuntimeException e) {
            abandon(launch.id(), stateDir);
            throw e;
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
        deleteTree(container.stateDir());
    }

    private List<String> command(ConmonLaunch launch) {
        Path state = launch.stateDir();
        // not exec: see the class comment, the JVM must read the sync line from a child that lives until it is written
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                "{ \"$0\" \"$@\" 3>&1 || echo \"conmon exited with status $?\" >&2; } | head -n 1",
                conmon.toString(),
                "--api-version", "1",
                "--cid", launch.id(), "--cuuid", launch.id(), "--name", launch.id(),
                "--runtime", runtime.runtime().toString(),
                "--bundle", launch.bundle().toString(),
                "--full-attach",
                "--container-pidfile", state.resolve(CONTAINER_PIDFILE).toString(),
                "--conmon-pidfile", state.resolve(CONMON_PIDFILE).toString(),
                "--persist-dir", state.toString(),
                "--log-path", "k8s-file:" + launch.logPath()));
        runtime.globalArgs().forEach(arg -> command.add("--runtime-arg=" + arg));
        if (launch.terminal()) {
            command.add("--terminal");
        }
        return command;
    }

    /** Reads conmon's report of {@code runc create}: a pid, or on failure the runtime's error. */
    private void awaitCreated(ConmonLaunch launch, Process process) throws IOException, InterruptedException {
        String report;
        try (BufferedReader sync = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            report = CompletableFuture.supplyAsync(() -> readLine(sync), Thread.ofVirtual()::start)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .orElse(null);
        } catch (TimeoutException e) {
            // the shell and head still wait on the sync pipe
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException("conmon did not report creating container " + launch.id() + " within " + timeout);
        } catch (ExecutionException e) {
            throw new IOException("reading conmon's sync pipe for container " + launch.id() + " failed", e.getCause());
        }
        if (report == null) {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new IOException("conmon exited without reporting on container " + launch.id()
                    + ": " + Files.readString(launch.stateDir().resolve(CONMON_STDERR)).strip());
        }
        JsonNode message = JSON.readTree(report);
        long pid = message.path("data").asLong(-1);
        if (pid <= 0) {
            throw new IOException("creating container " + launch.id() + " with " + runtime.runtime() + " failed: "
                    + runtimeError(message.path("message").asText(report)));
        }
    }

    private static Optional<String> readLine(BufferedReader reader) {
        try {
            return Optional.ofNullable(reader.readLine());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message of runc's logrus-formatted error, unquoted; any other text as it is. */
    private static String runtimeError(String text) {
        Matcher matcher = LOGRUS_MESSAGE.matcher(text);
        return matcher.find() ? matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : text.strip();
    }

    /** Removes what a failed launch may have left: the runtime's container, conmon, the state directory. */
    private void abandon(String id, Path stateDir) throws IOException, InterruptedException {
        try {
            runtime.delete(id, true);
        } catch (IOException alreadyGone) {
            // runc removes the container itself when create fails
        }
        Path conmonPidfile = stateDir.resolve(CONMON_PIDFILE);
        if (Files.exists(conmonPidfile)) {
            long conmonPid = readPid(conmonPidfile);
            ProcessHandle.of(conmonPid).ifPresent(ProcessHandle::destroyForcibly);
            awaitExit(conmonPid);
        }
        deleteTree(stateDir);
    }

    private void awaitExit(long pid) throws IOException, InterruptedException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return;
        }
        try {
            process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("conmon (pid " + pid + ") still runs " + timeout + " after its container was deleted");
        } catch (ExecutionException e) {
            throw new IOException("waiting for conmon (pid " + pid + ") failed", e.getCause());
        }
    }

    private static long readPid(Path pidfile) throws IOException {
        String text = Files.readString(pidfile, StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException("pid file " + pidfile + " holds no pid: '" + text + "'", e);
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
