package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.errors.HawserException;
import io.hawser.images.RegistryAuth;

/**
 * Registry credentials from the files {@code docker login} and {@code podman login} write: Docker's
 * {@code config.json} and the containers {@code auth.json}. Both hold
 * {@code {"auths": {"<host>": {...}}}} where an entry has {@code auth} (base64 of
 * {@code user:password}), or {@code username} and {@code password}, or an
 * {@code identitytoken}, or a {@code registrytoken}. Hosts are keyed as written by the tools:
 * {@code registry.local:5000}, {@code https://registry.local:5000}, and for Docker Hub
 * {@code https://index.docker.io/v1/}. Credential helpers ({@code credsStore},
 * {@code credHelpers}) are not run.
 *
 * <p>The files are read on every look-up, so a login after the daemon started takes effect.
 */
public final class DockerCredentials {

    private static final Set<String> DOCKER_HUB_ALIASES = Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

    private final List<Path> files;

    /** @param files the files to look in, first match wins; missing files are skipped */
    public DockerCredentials(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * The files Docker and Podman use: {@code $DOCKER_CONFIG/config.json} when the variable is
     * set, {@code ~/.docker/config.json}, and {@code $XDG_RUNTIME_DIR/containers/auth.json}.
     *
     * @param environment the process environment
     * @param home        the user's home directory
     */
    public static List<Path> defaultFiles(Map<String, String> environment, Path home) {
        List<Path> paths = new ArrayList<>();
        String dockerConfig = environment.get("DOCKER_CONFIG");
        if (dockerConfig != null && !dockerConfig.isEmpty()) {
            paths.add(Path.of(dockerConfig, "config.json"));
        }
        paths.add(home.resolve(".docker").resolve("config.json"));
        String runtimeDir = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null && !runtimeDir.isEmpty()) {
            paths.add(Path.of(runtimeDir, "containers", "auth.json"));
        }
        return paths;
    }

    /** The files looked in, for messages that say where credentials were sought. */
    public List<Path> files() {
        return files;
    }

    /**
     * The credentials for a registry host.
     *
     * @param authority {@code host[:port]} of the host
     * @throws HawserException {@code FAILED_PRECONDITION} when a file is not JSON or an entry is
     *                         malformed, naming the file and host
     */
    public Optional<RegistryAuth> lookup(String authority) throws HawserException {
        String wanted = normalizeHost(authority);
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            JsonNode auths = read(file).path("auths");
            for (Map.Entry<String, JsonNode> entry : auths.properties()) {
                if (normalizeHost(entry.getKey()).equals(wanted)) {
                    Optional<RegistryAuth> found = credentials(file, authority, entry.getValue());
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The host a key or address names: without scheme and path, and Docker Hub's several names
     * brought to one.
     */
    static String normalizeHost(String key) {
        String host = key;
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return DOCKER_HUB_ALIASES.contains(host) ? "docker.io" : host;
    }

    private JsonNode read(Path file) throws HawserException {
        try {
            return RegistryJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw HawserException.failedPrecondition("credentials file " + file + " is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * The credentials of an entry; none for an empty entry, which Docker writes when a credential
     * helper holds the secret.
     */
    private static Optional<RegistryAuth> credentials(Path file, String host, JsonNode entry) throws HawserException {
        String identityToken = entry.path("identitytoken").asText("");
        if (!identityToken.isEmpty()) {
            return Optional.of(new RegistryAuth.IdentityToken(host, identityToken));
        }
        String registryToken = entry.path("registrytoken").asText("");
        if (!registryToken.isEmpty()) {
            return Optional.of(new RegistryAuth.RegistryToken(host, registryToken));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw HawserException.failedPrecondition("credentials for " + host + " in " + file + ": 'auth' is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw HawserException.failedPrecondition("credentials for " + host + " in " + file + ": 'auth' is not user:password");
            }
            return Optional.of(new RegistryAuth.Basic(host, decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String username = entry.path("username").asText("");
        if (!username.isEmpty()) {
            return Optional.of(new RegistryAuth.Basic(host, username, entry.path("password").asText("")));
        }
        return Optional.empty();
    }
}
