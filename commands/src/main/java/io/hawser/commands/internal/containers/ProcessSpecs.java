package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.commands.internal.ClientTerminal;
import io.hawser.containers.ProcessUser;
import io.hawser.frontend.CommandException;

/**
 * The OCI process of an exec'd command, made from the container's own process: it inherits the
 * container's environment, user, capabilities, limits and security settings, as docker's exec
 * does, and takes the command, terminal and the request's changes.
 */
final class ProcessSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessSpecs() {}

    /** Resolves {@code -u} in the container ({@link io.hawser.containers.ContainerService#resolveUser}). */
    @FunctionalInterface
    interface Users {
        ProcessUser resolve(String user) throws IOException;
    }

    /**
     * The process object for {@code exec}, as JSON.
     *
     * @param containerSpec the container's OCI runtime specification
     * @param size          the terminal's size, when it has one and it is known
     * @param users         resolves {@code -u}, names included, as the container has them
     * @throws IOException  when the user cannot be resolved, for example one the container does not have
     */
    static String forExec(String containerSpec, ExecOptions options, Optional<ClientTerminal.Size> size, Users users)
            throws CommandException, IOException {
        ObjectNode process;
        try {
            JsonNode spec = JSON.readTree(containerSpec);
            process = spec.path("process") instanceof ObjectNode p ? p.deepCopy() : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new CommandException("the container's runtime specification is not JSON: " + e.getOriginalMessage());
        }
        ArrayNode args = process.putArray("args");
        options.command().forEach(args::add);
        process.put("terminal", options.tty());
        process.remove("consoleSize");
        if (options.tty() && size.isPresent()) {
            process.putObject("consoleSize").put("height", size.get().rows()).put("width", size.get().columns());
        }
        Map<String, String> env = new LinkedHashMap<>();
        process.path("env").forEach(entry -> put(env, entry.asText()));
        options.env().forEach(entry -> put(env, entry));
        ArrayNode envArray = process.putArray("env");
        env.forEach((key, value) -> envArray.add(key + "=" + value));
        if (options.workdir() != null) {
            if (!options.workdir().startsWith("/")) {
                throw new CommandException("-w " + options.workdir() + ": the working directory must be an absolute path", CommandException.USAGE);
            }
            process.put("cwd", options.workdir());
        }
        if (options.user() != null) {
            process.set("user", user(users.resolve(options.user())));
        }
        try {
            return JSON.writeValueAsString(process);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    private static void put(Map<String, String> env, String entry) {
        int equals = entry.indexOf('=');
        if (equals > 0) {
            env.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
    }

    /** The OCI form of a user; {@code additionalGids} only when there are some. */
    private static ObjectNode user(ProcessUser user) {
        ObjectNode node = JSON.createObjectNode();
        node.put("uid", user.uid()).put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) {
            ArrayNode gids = node.putArray("additionalGids");
            user.additionalGids().forEach(gids::add);
        }
        return node;
    }
}
