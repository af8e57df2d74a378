package io.hawser.commands.internal.containers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.commands.internal.ClientTerminal;
import io.hawser.frontend.CommandException;

/**
 * The OCI process of an exec'd command, made from the container's own process: it inherits the
 * container's environment, user, capabilities, limits and security settings, as docker's exec
 * does, and takes the command, terminal and the request's changes.
 */
final class ProcessSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The most an id may be; {@code (uid_t) -1} means "no change" to the kernel. */
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private ProcessSpecs() {}

    /**
     * The process object for {@code exec}, as JSON.
     *
     * @param containerSpec the container's OCI runtime specification
     * @param size          the terminal's size, when it has one and it is known
     */
    static String forExec(String containerSpec, ExecOptions options, Optional<ClientTerminal.Size> size) throws CommandException {
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
            process.set("user", user(options.user()));
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

    /**
     * {@code UID[:GID]} as an OCI user. Names are refused: resolving them means reading the
     * container's {@code /etc/passwd}, which only the kernel's user resolution does safely (a
     * running container can swap its files for links to the host's).
     */
    static ObjectNode user(String user) throws CommandException {
        String[] parts = user.split(":", -1);
        if (parts.length > 2) {
            throw new CommandException("-u " + user + ": use UID or UID:GID", CommandException.USAGE);
        }
        long uid = id(parts[0], user);
        long gid = parts.length == 2 ? id(parts[1], user) : 0;
        ObjectNode node = JSON.createObjectNode();
        node.put("uid", uid).put("gid", gid);
        return node;
    }

    private static long id(String part, String user) throws CommandException {
        if (part.isEmpty() || part.length() > 10 || !part.chars().allMatch(c -> c >= '0' && c <= '9') || Long.parseLong(part) > MAX_ID) {
            throw new CommandException("-u " + user + ": exec takes numeric ids (UID or UID:GID); user and group names are not resolved yet",
                    CommandException.USAGE);
        }
        return Long.parseLong(part);
    }
}
