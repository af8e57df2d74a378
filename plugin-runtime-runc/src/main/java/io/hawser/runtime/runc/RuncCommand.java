package io.hawser.runtime.runc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the subcommands of an OCI runtime's command line ({@code runc}, {@code crun}, {@code youki})
 * against one state root ({@code --root}), each bounded by a timeout. A failure is an
 * {@link IOException} naming the command, its exit status and its error output.
 */
public final class RuncCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runtime;
    private final Path root;
    private final Duration timeout;

    /**
     * @param runtime the runtime binary
     * @param root    the runtime's state root, where it keeps one directory per container
     * @param timeout how long one subcommand may take before it is killed
     * @throws IOException when the runtime binary is not an executable file
     */
    public RuncCommand(Path runtime, Path root, Duration timeout) throws IOException {
        if (!Files.isRegularFile(runtime) || !Files.isExecutable(runtime)) {
            throw new IOException("OCI runtime " + runtime + " not found or not executable");
        }
        this.runtime = runtime;
        this.root = root;
        this.timeout = timeout;
    }

    /** The runtime binary. */
    public Path runtime() {
        return runtime;
    }

    /** The global arguments every subcommand takes, in the {@code --name=value} form conmon passes on. */
    public List<String> globalArgs() {
        return List.of("--root=" + root);
    }

    /** Starts the user process of a created container. */
    public void start(String id) throws IOException {
        run("start", id);
    }

    /**
     * Sends a signal to the container's init process, or with {@code all} to every process in its
     * cgroup.
     */
    public void kill(String id, int signal, boolean all) throws IOException {
        if (all) {
            run("kill", "--all", id, Integer.toString(signal));
        } else {
            run("kill", id, Integer.toString(signal));
        }
    }

    /**
     * Deletes the container's runtime state and its cgroup; with {@code force} a running container
     * is killed first.
     */
    public void delete(String id, boolean force) throws IOException {
        if (force) {
            run("delete", "--force", id);
        } else {
            run("delete", id);
        }
    }

    /** The runtime's view of a container: {@code created}, {@code running}, {@code paused} or {@code stopped}. */
    public RuncState state(String id) throws IOException {
        String output = run("state", id);
        JsonNode state = JSON.readTree(output);
        return new RuncState(state.path("status").asText(), state.path("pid").asInt());
    }

    /** The ids of every container under this root. */
    public List<String> list() throws IOException {
        List<String> ids = new ArrayList<>();
        JsonNode containers = JSON.readTree(run("list", "--format", "json"));
        // runc prints "null" rather than "[]" when there are none
        containers.forEach(container -> ids.add(container.path("id").asText()));
        return ids;
    }

    /** Runs one subcommand and returns its standard output. */
    private String run(String... subcommand) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(runtime.toString());
        command.addAll(globalArgs());
        command.addAll(List.of(subcommand));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        CompletableFuture<String> output = readFully(process.getInputStream());
        CompletableFuture<String> errors = readFully(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit status " + process.exitValue()
                        + ": " + errors.get().strip());
            }
            return output.get();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(String.join(" ", command) + ": reading its output failed", e.getCause());
        }
    }

    /** Drains a stream on a virtual thread, so a full pipe never blocks the process. */
    private static CompletableFuture<String> readFully(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread.ofVirtual()::start);
    }
}
