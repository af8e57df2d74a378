package io.hawser.cri.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs CNI plugins as the CNI specification describes: each plugin an executable named by its
 * {@code type}, found in the plugin directories, given {@code CNI_COMMAND}, {@code CNI_CONTAINERID},
 * {@code CNI_NETNS}, {@code CNI_IFNAME}, {@code CNI_ARGS} and {@code CNI_PATH} in its environment
 * and its configuration on stdin, answering a result (or an error object) on stdout. A network of
 * several plugins is run as a chain: ADD in order, each plugin handed the previous one's result as
 * {@code prevResult}; DEL in reverse order, every plugin tried even when one fails.
 */
public final class Cni {

    /** A loopback configuration: every pod namespace needs {@code lo} up, whatever its network. */
    public static final NetworkConfig LOOPBACK = NetworkConfig.parse(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"cni-loopback\",\"type\":\"loopback\"}", false, Path.of("(built in)"));

    /** How long one plugin may take; bridge and portmap take milliseconds, a hung one must not hang the pod. */
    static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(60);

    private final List<Path> pluginDirectories;

    /** @param pluginDirectories where plugin executables are looked up, in order */
    public Cni(List<Path> pluginDirectories) {
        this.pluginDirectories = List.copyOf(pluginDirectories);
    }

    /** Which namespace and interface a call is about, and the pod it belongs to. */
    public record Attachment(String containerId, Path netns, String ifName, Map<String, String> args) {
        public Attachment {
            args = Map.copyOf(args);
        }

        String cniArgs() {
            StringBuilder value = new StringBuilder("IgnoreUnknown=1");
            args.forEach((key, arg) -> value.append(';').append(key).append('=').append(arg));
            return value.toString();
        }
    }

    /**
     * Attaches a network: ADD through the chain. When a plugin fails, what the earlier ones set up
     * is deleted again (DEL through the whole chain, which plugins tolerate) before the failure is
     * thrown, so nothing is left behind.
     *
     * @param runtimeConfig runtime values by capability name, e.g. {@code portMappings}
     * @return the last plugin's result
     */
    public JsonNode add(NetworkConfig network, Attachment attachment, ObjectNode runtimeConfig) throws IOException {
        JsonNode result = null;
        try {
            for (ObjectNode plugin : network.plugins()) {
                result = invoke("ADD", network, plugin, result, attachment, runtimeConfig);
            }
        } catch (IOException | RuntimeException e) {
            try {
                delete(network, attachment, runtimeConfig, result);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return result;
    }

    /**
     * Detaches a network: DEL through the chain in reverse order, each plugin given the result the
     * ADD answered. Every plugin is run even after a failure; the first failure is thrown at the end
     * with the others suppressed.
     */
    public void delete(NetworkConfig network, Attachment attachment, ObjectNode runtimeConfig, JsonNode addResult) throws IOException {
        IOException failure = null;
        List<ObjectNode> reversed = new ArrayList<>(network.plugins()).reversed();
        for (ObjectNode plugin : reversed) {
            try {
                invoke("DEL", network, plugin, addResult, attachment, runtimeConfig);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The executable of a plugin type, from the first plugin directory holding it. */
    Optional<Path> executable(String type) {
        // a type is a file name, never a path: a configuration must not run arbitrary programs
        if (type.isEmpty() || type.contains("/") || type.equals(".") || type.equals("..")) {
            return Optional.empty();
        }
        return pluginDirectories.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst();
    }

    private JsonNode invoke(String command, NetworkConfig network, ObjectNode plugin, JsonNode prevResult,
                            Attachment attachment, ObjectNode runtimeConfig) throws IOException {
        String type = plugin.path("type").asText();
        Path executable = executable(type).orElseThrow(() -> new CniException(type, command, 0,
                "no executable \"" + type + "\" in " + pluginDirectories + " (network " + network.name() + " from " + network.source() + ")"));
        byte[] stdin = NetworkConfig.JSON.writeValueAsBytes(network.stdinFor(plugin, prevResult, runtimeConfig));

        ProcessBuilder builder = new ProcessBuilder(executable.toString());
        Map<String, String> environment = builder.environment();
        // only PATH is kept: plugins such as portmap run iptables, and nothing else of the daemon's
        // environment is theirs to see
        String path = environment.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        environment.clear();
        environment.put("PATH", path);
        environment.put("CNI_COMMAND", command);
        environment.put("CNI_CONTAINERID", attachment.containerId());
        environment.put("CNI_NETNS", attachment.netns().toString());
        environment.put("CNI_IFNAME", attachment.ifName());
        environment.put("CNI_ARGS", attachment.cniArgs());
        environment.put("CNI_PATH", String.join(":", pluginDirectories.stream().map(Path::toString).toList()));
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()), Thread::startVirtualThread);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), Thread::startVirtualThread);
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // a plugin may exit without reading its input; its exit status tells what happened
        }
        try {
            if (!process.waitFor(PLUGIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CniException(type, command, 0, "no answer within " + PLUGIN_TIMEOUT.toSeconds() + " s; killed");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while CNI plugin " + type + " ran " + command, e);
        }
        String stdout = new String(out.join(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw error(type, command, process.exitValue(), stdout, new String(err.join(), StandardCharsets.UTF_8));
        }
        if (!command.equals("ADD")) {
            return null;
        }
        try {
            return NetworkConfig.JSON.readTree(stdout);
        } catch (JsonProcessingException e) {
            throw new CniException(type, command, 0, "answered a result that is not JSON: " + stdout.strip());
        }
    }

    /** The spec's error object ({@code code}, {@code msg}, {@code details}) when the plugin wrote one, else its stderr. */
    private static CniException error(String type, String command, int status, String stdout, String stderr) {
        try {
            JsonNode error = NetworkConfig.JSON.readTree(stdout);
            if (error != null && error.has("msg")) {
                String details = error.path("details").asText("");
                return new CniException(type, command, error.path("code").asInt(0),
                        error.path("msg").asText() + (details.isEmpty() ? "" : ": " + details));
            }
        } catch (JsonProcessingException e) {
            // not the spec's error object: stderr and stdout tell what there is
        }
        String said = (stderr.strip() + " " + stdout.strip()).strip();
        return new CniException(type, command, 0, "exit status " + status + (said.isEmpty() ? "" : ": " + said));
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The first IPv4 address and every other address of a result, without prefix lengths. */
    public static List<String> addresses(JsonNode result) {
        List<String> v4 = new ArrayList<>();
        List<String> v6 = new ArrayList<>();
        if (result != null) {
            for (JsonNode ip : result.path("ips")) {
                String address = ip.path("address").asText("");
                int slash = address.indexOf('/');
                String bare = slash < 0 ? address : address.substring(0, slash);
                if (!bare.isEmpty()) {
                    (bare.contains(":") ? v6 : v4).add(bare);
                }
            }
        }
        v4.addAll(v6);
        return v4;
    }
}
