package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.hawser.errors.HawserException;
import io.hawser.images.Reference;
import io.hawser.kernel.internal.registry.RegistryHost.Capability;

/**
 * Where to fetch a registry's content from, read from containerd's registry hosts files so an
 * operator's existing configuration works: {@code <configDir>/certs.d/<registry>/hosts.toml},
 * else {@code <configDir>/certs.d/_default/hosts.toml}, else the registry itself.
 *
 * <p>A file lists mirrors as {@code [host."https://mirror"]} tables, tried in the order written,
 * then the registry's {@code server} (by default the registry itself). Each entry may set
 * {@code capabilities} ({@code pull}, {@code resolve}, {@code push}; all by default),
 * {@code skip_verify}, {@code ca} (a PEM file or a list of them, relative to the file's
 * directory), {@code header} (a table of strings or string lists) and {@code override_path}
 * (the URL's path is the API root itself, not a prefix of {@code /v2}). Client certificates
 * ({@code client}) are not supported and are ignored.
 *
 * <p>Without a file a registry is reached over HTTPS, except loopback registries
 * ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) and those named in
 * {@code plainHttpRegistries}, which are reached over plain HTTP as Docker and containerd do.
 * Docker Hub ({@code docker.io}) is served by {@code registry-1.docker.io}.
 */
public final class HostsConfig {

    private static final String DEFAULT_DIRECTORY = "_default";
    private static final String DOCKER_HUB_SERVER = "https://registry-1.docker.io";
    private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);

    private final Path configDir;
    private final Set<String> plainHttpRegistries;

    /**
     * @param configDir           the directory holding {@code certs.d}, or {@code null} to use
     *                            only the defaults
     * @param plainHttpRegistries registries (as in references, {@code host:port}) to reach over
     *                            plain HTTP although they are not loopback addresses
     */
    public HostsConfig(Path configDir, Set<String> plainHttpRegistries) {
        this.configDir = configDir;
        this.plainHttpRegistries = Set.copyOf(plainHttpRegistries);
    }

    /** Only the defaults: no hosts files, plain HTTP for loopback registries only. */
    public static HostsConfig defaults() {
        return new HostsConfig(null, Set.of());
    }

    /**
     * The hosts to try for a registry, mirrors first, the server last.
     *
     * @param registry the domain of a {@link Reference}, such as {@code docker.io} or
     *                 {@code localhost:5000}
     * @throws HawserException {@code FAILED_PRECONDITION} when the registry's hosts file cannot
     *                         be read or says something Hawser cannot use, naming the file
     */
    public List<RegistryHost> hostsFor(String registry) throws HawserException {
        Path file = hostsFile(registry);
        if (file == null) {
            return List.of(new RegistryHost(defaultServer(registry), ALL, false, List.of(), Map.of(), false));
        }
        try {
            return parse(registry, file, TomlReader.MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw HawserException.failedPrecondition("registry hosts file " + file + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Whether plain HTTP may be used with a host: a loopback address, or a registry configured to
     * be reached over plain HTTP.
     */
    boolean plainHttpAllowed(String authority) {
        return isLoopback(authority) || plainHttpRegistries.contains(authority);
    }

    /**
     * Whether {@code host[:port]} names this machine's loopback interface: {@code localhost},
     * an address in {@code 127.0.0.0/8} or {@code ::1}. Names are not looked up, so a name that
     * merely resolves to a loopback address does not count.
     */
    static boolean isLoopback(String authority) {
        String host = authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(1, close);
            return host.equals("::1") || host.equals("0:0:0:0:0:0:0:1");
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("[0-9]{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private Path hostsFile(String registry) {
        if (configDir == null) {
            return null;
        }
        for (String directory : List.of(registry, DEFAULT_DIRECTORY)) {
            Path file = configDir.resolve("certs.d").resolve(directory).resolve("hosts.toml");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private URI defaultServer(String registry) {
        if (registry.equals(Reference.DOCKER_HUB)) {
            return apiRoot(URI.create(DOCKER_HUB_SERVER), false);
        }
        String scheme = plainHttpAllowed(registry) ? "http" : "https";
        return apiRoot(URI.create(scheme + "://" + registry), false);
    }

    private List<RegistryHost> parse(String registry, Path file, JsonNode root) throws HawserException {
        List<RegistryHost> hosts = new ArrayList<>();
        JsonNode mirrors = root.path("host");
        if (!mirrors.isMissingNode() && !mirrors.isObject()) {
            throw badFile(file, "'host' must be a table of [host.\"<url>\"] tables");
        }
        for (Map.Entry<String, JsonNode> mirror : mirrors.properties()) {
            hosts.add(entry(file, mirror.getKey(), mirror.getValue(), true));
        }
        JsonNode server = root.path("server");
        if (!server.isMissingNode() && !server.isTextual()) {
            throw badFile(file, "'server' must be a URL string");
        }
        String serverUrl = server.isTextual() ? server.asText() : defaultServer(registry).resolve("/").toString();
        hosts.add(entry(file, serverUrl, root, false));
        return List.copyOf(hosts);
    }

    /** One host from a {@code [host."…"]} table, or the server from the file's top level. */
    private RegistryHost entry(Path file, String url, JsonNode table, boolean mirror) throws HawserException {
        URI uri = hostUri(file, url);
        boolean overridePath = flag(file, url, table, "override_path");
        return new RegistryHost(apiRoot(uri, overridePath), capabilities(file, url, table),
                flag(file, url, table, "skip_verify"), caFiles(file, url, table), headers(file, url, table), mirror);
    }

    private URI hostUri(Path file, String url) throws HawserException {
        String withScheme = url.contains("://") ? url : (isLoopback(url) ? "http://" : "https://") + url;
        try {
            URI uri = new URI(withScheme);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getRawAuthority() == null) {
                throw badFile(file, "host '" + url + "' must be an http or https URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw badFile(file, "host '" + url + "' is not a URL: " + e.getMessage());
        }
    }

    /**
     * The API root of a host URL: its path with {@code /v2} appended, as the distribution API
     * wants, unless the operator says the path is the root already.
     */
    private static URI apiRoot(URI uri, boolean overridePath) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!overridePath && !path.endsWith("/v2")) {
            path = path + "/v2";
        }
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
    }

    private static boolean flag(Path file, String url, JsonNode table, String key) throws HawserException {
        JsonNode value = table.path(key);
        if (value.isMissingNode()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw badFile(file, "'" + key + "' of " + url + " must be true or false");
        }
        return value.asBoolean();
    }

    private static Set<Capability> capabilities(Path file, String url, JsonNode table) throws HawserException {
        JsonNode value = table.path("capabilities");
        if (value.isMissingNode()) {
            return ALL;
        }
        Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        for (String name : strings(file, url, "capabilities", value)) {
            try {
                capabilities.add(Capability.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw badFile(file, "capability '" + name + "' of " + url + " is none of pull, resolve, push");
            }
        }
        return capabilities;
    }

    private static List<Path> caFiles(Path file, String url, JsonNode table) throws HawserException {
        JsonNode value = table.path("ca");
        if (value.isMissingNode()) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        for (String ca : strings(file, url, "ca", value)) {
            files.add(file.getParent().resolve(ca));
        }
        return files;
    }

    private static Map<String, List<String>> headers(Path file, String url, JsonNode table) throws HawserException {
        JsonNode value = table.path("header");
        if (value.isMissingNode()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw badFile(file, "'header' of " + url + " must be a table");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : value.properties()) {
            headers.put(header.getKey(), strings(file, url, "header " + header.getKey(), header.getValue()));
        }
        return headers;
    }

    /** A string or an array of strings, as {@code ca}, {@code capabilities} and headers allow. */
    private static List<String> strings(Path file, String url, String key, JsonNode value) throws HawserException {
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (value.isArray()) {
            List<String> strings = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw badFile(file, "'" + key + "' of " + url + " must hold only strings");
                }
                strings.add(item.asText());
            }
            return strings;
        }
        throw badFile(file, "'" + key + "' of " + url + " must be a string or a list of strings");
    }

    private static HawserException badFile(Path file, String why) {
        return HawserException.failedPrecondition("registry hosts file " + file + ": " + why);
    }

    /** Made when a hosts file is first read, not with the image service (see {@link RegistryJson}). */
    private static final class TomlReader {
        static final TomlMapper MAPPER = new TomlMapper();
    }
}
