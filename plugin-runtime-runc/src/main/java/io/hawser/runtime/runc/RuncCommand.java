package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the subcommands of an OCI runtime's command line ({@code runc}, {@code crun}, {@code youki})
 * against one state root ({@code --root}), each bounded by a timeout. A failure is an
 * {@link IOException} naming the command, its exit status and its error output. Each subcommand is
 * started with {@code posix_spawn(3)} ({@link SpawnedCommand}): two of them ({@code start},
 * {@code delete}) are on the way of every {@code run --rm}, and the JDK's way costs a millisecond
 * more each.
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

    /** Pauses every process of the container (the freezer cgroup). */
    public void pause(String id) throws IOException {
        run("pause", id);
    }

    /** Thaws a paused container. */
    public void resume(String id) throws IOException {
        run("resume", id);
    }

    /** The host pids of every process in the container's cgroup. */
    public List<Long> pids(String id) throws IOException {
        List<Long> pids = new ArrayList<>();
        // like list, "null" when there are none
        JSON.readTree(run("ps", "--format", "json", id)).forEach(pid -> pids.add(pid.asLong()));
        return pids;
    }

    /**
     * Changes the container's resource limits.
     *
     * @param resources a file holding the OCI spec's {@code linux.resources} object in JSON
     */
    public void update(String id, Path resources) throws IOException {
        run("update", "--resources", resources.toString(), id);
    }

    /** Runs one subcommand and returns its standard output. */
    private String run(String... subcommand) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(runtime.toString());
        command.addAll(globalArgs());
        command.addAll(List.of(subcommand));
        return SpawnedCommand.run(timeout, command);
    }
}
