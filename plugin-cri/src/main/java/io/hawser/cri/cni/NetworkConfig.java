package io.hawser.cri.cni;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A CNI network configuration: a name, the spec version it is written for and the plugins to run
 * in order. A {@code .conflist} file lists its plugins under {@code plugins}; a single-plugin
 * {@code .conf} or {@code .json} file is a list of one.
 *
 * @param name       the network's name, which plugins such as host-local key their state by
 * @param cniVersion the CNI spec version the configuration is written for
 * @param plugins    each plugin's own configuration object, {@code type} naming its executable
 * @param source     the file it was read from, for messages
 */
public record NetworkConfig(String name, String cniVersion, List<ObjectNode> plugins, Path source) {

    static final ObjectMapper JSON = new ObjectMapper();

    public NetworkConfig {
        plugins = List.copyOf(plugins);
    }

    /**
     * The configuration a runtime uses from a directory: the first file in lexical order ending in
     * {@code .conflist}, {@code .conf} or {@code .json} that parses, as kubelet's other runtimes
     * choose it. Files that do not parse are skipped, so a half-written file does not take the
     * node's network down.
     *
     * @return empty when the directory is missing or holds no usable configuration
     */
    public static Optional<NetworkConfig> firstIn(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(directory)) {
            candidates = files.filter(NetworkConfig::isConfigName).sorted().toList();
        }
        for (Path file : candidates) {
            try {
                return Optional.of(read(file));
            } catch (IOException | IllegalArgumentException e) {
                // skipped on purpose: the next file may be the operator's valid one
            }
        }
        return Optional.empty();
    }

    private static boolean isConfigName(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".conflist") || name.endsWith(".conf") || name.endsWith(".json"));
    }

    /** Reads one file, a list when its name ends in {@code .conflist}. */
    public static NetworkConfig read(Path file) throws IOException {
        return parse(Files.readString(file), file.getFileName().toString().endsWith(".conflist"), file);
    }

    /**
     * Parses a configuration.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static NetworkConfig parse(String text, boolean list, Path source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new IllegalArgumentException(source + ": not a JSON object");
        }
        String name = required(object, "name", source);
        String version = object.path("cniVersion").asText("");
        List<ObjectNode> plugins = new ArrayList<>();
        if (list) {
            if (!(object.get("plugins") instanceof ArrayNode array) || array.isEmpty()) {
                throw new IllegalArgumentException(source + ": a .conflist needs a non-empty \"plugins\" array");
            }
            for (JsonNode plugin : array) {
                if (!(plugin instanceof ObjectNode pluginObject)) {
                    throw new IllegalArgumentException(source + ": every entry of \"plugins\" must be an object");
                }
                required(pluginObject, "type", source);
                plugins.add(pluginObject.deepCopy());
            }
        } else {
            required(object, "type", source);
            plugins.add(object.deepCopy());
        }
        return new NetworkConfig(name, version, plugins, source);
    }

    private static String required(ObjectNode object, String field, Path source) {
        String value = object.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(source + ": \"" + field + "\" is missing");
        }
        return value;
    }

    /**
     * What a plugin reads on stdin: its own object with the network's name and version, the
     * previous plugin's result, and the runtime's values for the capabilities the plugin declares
     * (only those, as the spec asks: a plugin must not see arguments it did not ask for).
     */
    ObjectNode stdinFor(ObjectNode plugin, JsonNode prevResult, ObjectNode runtimeConfig) {
        ObjectNode input = plugin.deepCopy();
        input.put("name", name);
        input.put("cniVersion", cniVersion);
        if (prevResult != null) {
            input.set("prevResult", prevResult);
        }
        ObjectNode granted = JSON.createObjectNode();
        JsonNode capabilities = plugin.path("capabilities");
        runtimeConfig.fieldNames().forEachRemaining(capability -> {
            if (capabilities.path(capability).asBoolean(false)) {
                granted.set(capability, runtimeConfig.get(capability));
            }
        });
        if (!granted.isEmpty()) {
            input.set("runtimeConfig", granted);
        }
        return input;
    }

    /**
     * The configuration as one {@code .conflist} document, so the plugins a pod was attached with
     * can be run again for its DEL even after the files in the directory changed.
     */
    public String toConflist() {
        ObjectNode list = JSON.createObjectNode();
        list.put("cniVersion", cniVersion);
        list.put("name", name);
        ArrayNode array = list.putArray("plugins");
        plugins.forEach(array::add);
        return list.toString();
    }

    /** Reads what {@link #toConflist()} wrote. */
    public static NetworkConfig fromConflist(String text, Path source) {
        return parse(text, true, source);
    }
}
