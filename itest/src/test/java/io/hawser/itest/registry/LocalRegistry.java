package io.hawser.itest.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} (distribution 2.8.2) on a free 127.0.0.1 port, its storage,
 * configuration and log in a temporary directory. Anonymous, with htpasswd basic auth, or with
 * bearer tokens from a {@link TokenServer} in this JVM. {@link #stop()} and {@link #start()} keep
 * the port and the storage, so a test can cut a download off and let a client resume it.
 *
 * <pre>{@code
 * try (LocalRegistry registry = LocalRegistry.anonymous()) {
 *     TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "hello").build();
 *     registry.client().push("test/busybox", "latest", image);
 *     // pull registry.host() + "/test/busybox:latest" ...
 * }
 * }</pre>
 *
 * The factories skip the calling test (JUnit assumption) when {@code docker-registry}, or for
 * basic auth {@code htpasswd}, is not installed.
 */
public final class LocalRegistry implements AutoCloseable {

    public static final Path EXECUTABLE = Path.of("/usr/bin/docker-registry");
    public static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");

    private static final Duration STARTUP_PATIENCE = Duration.ofSeconds(30);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    /** How clients authenticate to it. */
    public enum Auth { ANONYMOUS, BASIC, TOKEN }

    private final Auth auth;
    private final Path directory;
    private final Path config;
    private final Path log;
    private final RegistryStorage storage;
    private final int port;
    private final Credentials credentials;
    private final TokenServer tokenServer;
    private Process process;

    private LocalRegistry(Auth auth, Path directory, int port, Credentials credentials, TokenServer tokenServer) {
        this.auth = auth;
        this.directory = directory;
        this.config = directory.resolve("config.yml");
        this.log = directory.resolve("registry.log");
        this.storage = new RegistryStorage(directory.resolve("storage"));
        this.port = port;
        this.credentials = credentials;
        this.tokenServer = tokenServer;
    }

    /** A registry anyone may pull from and push to. */
    public static LocalRegistry anonymous() throws IOException, InterruptedException {
        assumeInstalled();
        return launch(Auth.ANONYMOUS, newDirectory(), null, null, "");
    }

    /** A registry that requires HTTP basic auth, checked against a bcrypt htpasswd file. */
    public static LocalRegistry withBasicAuth(Credentials credentials) throws IOException, InterruptedException {
        assumeInstalled();
        assumeTrue(Files.isExecutable(HTPASSWD), "htpasswd not installed: apt-get install apache2-utils");
        Path directory = newDirectory();
        return launch(Auth.BASIC, directory, credentials, null, """
                auth:
                  htpasswd:
                    realm: hawser-test-registry
                    path: %s
                """.formatted(htpasswdFile(directory, credentials)));
    }

    /** A registry that requires bearer tokens, issued by a {@link TokenServer} that knows these credentials. */
    public static LocalRegistry withTokenAuth(Credentials credentials) throws IOException, InterruptedException {
        assumeInstalled();
        Path directory = newDirectory();
        TokenServer tokenServer = TokenServer.start(directory, credentials);
        return launch(Auth.TOKEN, directory, credentials, tokenServer, """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(tokenServer.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokenServer.rootCertBundle()));
    }

    /** Skips the calling test when the registry is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(EXECUTABLE), "docker-registry not installed: apt-get install docker-registry");
    }

    /** {@code 127.0.0.1:PORT}, the host part of image references. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return URI.create("http://" + host());
    }

    public Auth auth() {
        return auth;
    }

    /** The credentials the registry (or its token server) accepts; empty for an anonymous one. */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** The token server of a {@link Auth#TOKEN} registry. */
    public Optional<TokenServer> tokenServer() {
        return Optional.ofNullable(tokenServer);
    }

    /** The filesystem driver's root directory. */
    public Path storageDir() {
        return storage.root();
    }

    /** The blobs in storage, to find or sabotage them. */
    public RegistryStorage storage() {
        return storage;
    }

    /** The registry's output (warnings and errors) over all its starts. */
    public Path logFile() {
        return log;
    }

    /** A client of this registry that authenticates with its credentials, if it has any. */
    public RegistryApiClient client() {
        return new RegistryApiClient(baseUri(), credentials);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the registry again on the same port and storage, and waits until it answers. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isRunning()) {
            throw new IllegalStateException("the registry on " + host() + " is already running");
        }
        process = new ProcessBuilder(EXECUTABLE.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        awaitAnswering();
    }

    /** SIGTERM, then SIGKILL if it has not exited within ten seconds. Safe to call from any thread, and when stopped. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            process.waitFor(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            // also when interrupted while waiting: no registry outlives its fixture
            if (process.isAlive()) {
                process.destroyForcibly().waitFor(STOP_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
            process = null;
        }
    }

    /** Stops the registry and its token server and deletes its directory. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } catch (InterruptedException e) {
            // the process got SIGTERM; let the caller see the interruption after the cleanup
            Thread.currentThread().interrupt();
        } finally {
            if (tokenServer != null) {
                tokenServer.close();
            }
            deleteRecursively(directory);
        }
    }

    /** Writes the configuration and starts; on failure closes what was made so nothing is left behind. */
    private static LocalRegistry launch(Auth auth, Path directory, Credentials credentials, TokenServer tokenServer, String authYaml)
            throws IOException, InterruptedException {
        LocalRegistry registry = new LocalRegistry(auth, directory, freeLoopbackPort(), credentials, tokenServer);
        try {
            Files.createDirectories(registry.storageDir());
            // no blob descriptor cache: a blob sabotaged in storage must be served as it now is;
            // a fixed http.secret: upload URLs carry state signed with it, and must survive a restart
            Files.writeString(registry.config, """
                    version: 0.1
                    log:
                      level: warn
                      formatter: text
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: %s
                      secret: hawser-test-upload-state
                    %s""".formatted(registry.storageDir(), registry.host(), authYaml));
            registry.start();
            return registry;
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static Path newDirectory() throws IOException {
        return Files.createTempDirectory(Path.of("/tmp"), "hawser-registry-");
    }

    private void awaitAnswering() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(STARTUP_PATIENCE);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                // any answer, 401 included, means it serves the API
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IOException("docker-registry did not answer on " + host() + " within "
                            + STARTUP_PATIENCE.toSeconds() + " s:\n" + Files.readString(log), notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    private static Path htpasswdFile(Path directory, Credentials credentials) throws IOException, InterruptedException {
        Path file = directory.resolve("htpasswd");
        // -B: bcrypt, the only hash distribution's htpasswd accepts
        Process process = new ProcessBuilder(HTPASSWD.toString(), "-Bbn", credentials.user(), credentials.password())
                .redirectOutput(file.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("htpasswd could not hash the password of " + credentials.user());
        }
        return file;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
