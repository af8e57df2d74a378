package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.Digest;
import io.hawser.content.DigestAlgorithm;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.MediaTypes;
import io.hawser.images.Reference;
import io.hawser.images.RegistryAuth;
import io.hawser.kernel.internal.registry.RegistryHost.Capability;

/**
 * A client of the OCI distribution API (the Docker registry API v2) that reads: it resolves a
 * reference to the descriptor of its index or manifest, and fetches manifests and blobs by digest,
 * verifying every byte against the digest before it counts as fetched.
 *
 * <p>Each registry is reached through the hosts {@link HostsConfig} lists for it, mirrors first;
 * a host that fails (unreachable, 404, 5xx, refusing credentials, serving wrong content) is
 * skipped for the next, and the error of the last host, naming all that were tried, is thrown.
 * Requests start anonymous; a 401 challenge is answered with Basic credentials or a Bearer token
 * (see {@link Authorizer}), with credentials from the request or else from Docker's credential
 * files. Redirects, which registries use to send blob downloads to storage, are followed up to a
 * limit, without the registry's credentials when they lead to another host.
 *
 * <p>Plain HTTP is used only with loopback hosts, hosts a hosts file gives an {@code http://}
 * URL, and registries configured as plain-HTTP; a redirect or token service that would downgrade
 * to plain HTTP elsewhere is refused. Safe for concurrent use; close it to release connections.
 */
public final class RegistryClient implements AutoCloseable {

    /** Manifests and indexes larger than this are refused, as containerd refuses them. */
    public static final long MAX_MANIFEST_SIZE = 4L << 20;

    /** The manifest types asked for, most capable first. */
    private static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final String DIGEST_HEADER = "Docker-Content-Digest";
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(\\d+|\\*)");
    /** How much of an error answer's body to read for the registry's explanation. */
    private static final int ERROR_BODY_LIMIT = 4096;
    private static final int COPY_BUFFER_SIZE = 256 * 1024;

    /**
     * Tunables of the client.
     *
     * @param connectTimeout  how long to wait for a connection
     * @param responseTimeout how long to wait for a response's headers (not its body, which may
     *                        take minutes)
     * @param maxRedirects    how many redirects one request may follow
     */
    public record Settings(Duration connectTimeout, Duration responseTimeout, int maxRedirects) {
        public Settings {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            if (maxRedirects < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
            }
        }

        /** 30 s to connect, 60 s to answer, 10 redirects. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(60), 10);
        }
    }

    /** The TLS settings a host needs; hosts with equal settings share a client and its connections. */
    private record TlsProfile(boolean skipVerify, List<Path> caFiles) {}

    /** A host asked on behalf of a repository, with the credentials for that host. */
    private record Target(RegistryHost host, String repository, RegistryAuth credentials) {
        String scope() {
            return "repository:" + repository + ":pull";
        }
    }

    private final HostsConfig hosts;
    private final DockerCredentials credentialFiles;
    private final Settings settings;
    private final Authorizer authorizer;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Each built once, in the background; one whose build failed is built anew for the next request. */
    private final Map<TlsProfile, CompletableFuture<HttpClient>> clients = new ConcurrentHashMap<>();

    public RegistryClient(HostsConfig hosts, DockerCredentials credentialFiles, Settings settings) {
        this(hosts, credentialFiles, settings, Clock.systemUTC());
    }

    /** With a clock, so tests can expire tokens. */
    RegistryClient(HostsConfig hosts, DockerCredentials credentialFiles, Settings settings, Clock clock) {
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.credentialFiles = Objects.requireNonNull(credentialFiles, "credentialFiles");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.authorizer = new Authorizer(this::sendToTokenService, clock);
    }

    /**
     * Starts making, on a background thread, what the first request to a host without TLS
     * settings of its own needs: the HTTP client, whose first build loads the JDK's HTTP code, and
     * a hasher for verifying digests (libcrypto's, loaded through JNA). In a daemon that has just
     * started its image service that is some 100 to 200 ms of class loading, which this overlaps
     * with the rest of the first pull's start (the database's first writes, the JSON parser's
     * classes) on another core. Requests wait for it.
     */
    public void prepare() {
        clientFor(new TlsProfile(false, List.of())).whenComplete((client, failure) -> DigestAlgorithm.SHA256.newHasher());
    }

    /**
     * Resolves a reference to the descriptor of the index or manifest it names, asking the
     * registry's hosts that may resolve (for a reference by digest, also those that may only
     * pull) in order until one answers.
     *
     * @param credentials credentials the caller was given for the registry (as CRI passes them),
     *                    or {@code null} to use the credential files
     * @throws HawserException {@code NOT_FOUND} when no host has the reference;
     *                         {@code UNAUTHENTICATED} when the registry wants credentials that are
     *                         missing or refused; {@code UNAVAILABLE} when it cannot be reached or
     *                         fails; {@code INVALID_ARGUMENT} when it answers with a media type
     *                         that is not an index or manifest, or a manifest over 4 MiB;
     *                         {@code FAILED_PRECONDITION} when the manifest does not match its
     *                         digest. The message names every host tried.
     */
    public Resolution resolve(Reference reference, RegistryAuth credentials) throws IOException {
        List<RegistryHost> all = hosts.hostsFor(reference.domain());
        // what a digest names cannot change, so hosts trusted only to pull may answer for it
        List<RegistryHost> resolvers = all.stream()
                .filter(host -> host.can(Capability.RESOLVE) || reference.digest() != null && host.can(Capability.PULL))
                .toList();
        if (resolvers.isEmpty()) {
            throw HawserException.failedPrecondition("no host of registry " + reference.domain() + " may resolve " + reference);
        }
        Answer<Descriptor> answer = firstAnswer(resolvers, host -> resolveAt(target(host, reference, credentials), reference));
        return new Resolution(reference, answer.value(), answer.host(), pullHostsStartingWith(answer.host(), all),
                answer.tried(), credentials);
    }

    /**
     * Fetches a manifest or index of a resolved image and verifies it.
     *
     * @param manifest the descriptor of the manifest, from the resolution or from an index
     * @return the manifest's bytes, which match the descriptor's digest and size
     * @throws HawserException {@code INVALID_ARGUMENT} when the descriptor says it is over 4 MiB,
     *                         else as {@link #fetchBlob}
     */
    public byte[] fetchManifest(Resolution resolution, Descriptor manifest) throws IOException {
        if (manifest.size() > MAX_MANIFEST_SIZE) {
            throw tooLarge(manifest.digest().toString(), manifest.size());
        }
        return firstAnswer(resolution.pullHosts(), host -> {
            Target target = target(host, resolution.reference(), resolution.credentials());
            URI uri = host.resolve(resolution.reference().path() + "/manifests/" + manifest.digest());
            HttpResponse<InputStream> response = exchange(target, "GET", uri, Map.of("Accept", MANIFEST_ACCEPT + ", " + manifest.mediaType()));
            expectSuccess(target, response, "manifest " + manifest.digest() + " of " + resolution.reference().name());
            try (InputStream body = new VerifyingInputStream(response.body(), manifest,
                    manifest.digest().algorithm().newHasher(), 0, uri.toString())) {
                return body.readAllBytes();
            }
        }).value();
    }

    /**
     * Opens a blob of a resolved image for reading from its start. The stream verifies as it
     * goes: a read fails rather than deliver the last byte of a blob that does not match its
     * digest, and fails when the stream ends early. The caller closes it.
     *
     * @throws HawserException as {@link #fetchBlob}, for failures before the first byte
     */
    public InputStream openBlob(Resolution resolution, Descriptor blob) throws IOException {
        HttpResponse<InputStream> response = firstAnswer(resolution.pullHosts(),
                host -> openAt(target(host, resolution.reference(), resolution.credentials()), blob, 0)).value();
        return new VerifyingInputStream(response.body(), blob, blob.digest().algorithm().newHasher(), 0, response.uri().toString());
    }

    /**
     * Fetches a blob of a resolved image into a sink, continuing after the bytes the sink holds
     * with a range request, or from the start when the registry ignores the range. Hosts are
     * tried in the resolution's order until one starts sending; a failure after that is thrown
     * at once, leaving the sink holding what arrived, so the next call continues from there.
     *
     * @return how the blob was fetched; when this returns, the sink holds exactly the blob and it
     *         matches the descriptor's digest (a sink that {@linkplain BlobSink#verifiesDigest()
     *         verifies the digest itself} and took the blob from its first byte holds exactly
     *         the descriptor's size, and checks the digest itself)
     * @throws HawserException {@code FAILED_PRECONDITION} when the bytes do not match the digest
     *                         (naming expected and actual) or exceed the size;
     *                         {@code UNAVAILABLE} when the download ends early or no host can
     *                         serve it; {@code NOT_FOUND} when no host has it;
     *                         {@code UNAUTHENTICATED} as for {@link #resolve}
     */
    public BlobFetch fetchBlob(Resolution resolution, Descriptor blob, BlobSink sink) throws IOException {
        long held = sink.held();
        if (held > blob.size()) {
            sink.discardHeld();
            held = 0;
        }
        if (held == blob.size() && held > 0) {
            MessageDigest hasher = blob.digest().algorithm().newHasher();
            sink.hashHeld(hasher);
            if (blob.digest().algorithm().fromHash(hasher.digest()).equals(blob.digest())) {
                return new BlobFetch(resolution.host(), held, List.of());
            }
            sink.discardHeld();
            held = 0;
        }
        long from = held;
        Answer<HttpResponse<InputStream>> answer = firstAnswer(resolution.pullHosts(),
                host -> openAt(target(host, resolution.reference(), resolution.credentials()), blob, from));
        HttpResponse<InputStream> response = answer.value();
        long start = response.statusCode() == 206 ? held : 0;
        if (start == 0 && held > 0) {
            sink.discardHeld();
        }
        MessageDigest hasher = null;
        if (start > 0 || !sink.verifiesDigest()) {
            hasher = blob.digest().algorithm().newHasher();
            if (start > 0) {
                sink.hashHeld(hasher);
            }
        }
        // failures from here on are not the host's to skip: the sink keeps what arrived for a resumed fetch
        try (InputStream body = new VerifyingInputStream(response.body(), blob, hasher, start, response.uri().toString())) {
            copy(body, sink);
        }
        return new BlobFetch(answer.host(), start, answer.tried());
    }

    @Override
    public void close() {
        // a client still being built is closed once it is
        clients.values().forEach(client -> client.thenAccept(HttpClient::close));
        executor.close();
    }

    private Descriptor resolveAt(Target target, Reference reference) throws IOException {
        URI uri = target.host().resolve(reference.path() + "/manifests/" + reference.object());
        Map<String, String> accept = Map.of("Accept", MANIFEST_ACCEPT);
        String what = "image " + reference;
        HttpResponse<InputStream> head = exchange(target, "HEAD", uri, accept);
        int status = head.statusCode();
        if (status == 404 || status >= 500 || status == 429) {
            throw statusError(target, head, what);
        }
        head.body().close();
        if (status == 200) {
            Optional<Descriptor> described = describedByHeaders(head, reference);
            if (described.isPresent()) {
                return described.get();
            }
        }
        // the headers did not say enough, or the registry does not answer HEAD: read the manifest
        HttpResponse<InputStream> get = exchange(target, "GET", uri, accept);
        expectSuccess(target, get, what);
        OptionalLong length = get.headers().firstValueAsLong("Content-Length");
        if (length.isPresent() && length.getAsLong() > MAX_MANIFEST_SIZE) {
            get.body().close();
            throw tooLarge(reference.toString(), length.getAsLong());
        }
        byte[] body;
        try (InputStream in = get.body()) {
            body = in.readNBytes((int) MAX_MANIFEST_SIZE + 1);
        }
        if (body.length > MAX_MANIFEST_SIZE) {
            throw tooLarge(reference.toString(), body.length);
        }
        Optional<Digest> announced = digestHeader(get);
        Digest expected = reference.digest() != null ? reference.digest() : announced.orElse(null);
        DigestAlgorithm algorithm = expected != null ? expected.algorithm() : DigestAlgorithm.SHA256;
        Digest actual = algorithm.digest(body);
        if (expected != null && !expected.equals(actual)) {
            throw HawserException.failedPrecondition("manifest of " + reference + " from " + uri
                    + " does not match its digest: expected " + expected + ", got " + actual);
        }
        String mediaType = mediaType(get).orElseGet(() -> mediaTypeInside(body));
        checkManifestType(mediaType, reference, uri);
        return new Descriptor(mediaType, actual, body.length);
    }

    /**
     * The descriptor a HEAD answer gives, when it gives all of it: a known media type, the
     * length, and the digest (which a reference by digest supplies itself).
     */
    private Optional<Descriptor> describedByHeaders(HttpResponse<InputStream> head, Reference reference) throws HawserException {
        Optional<String> mediaType = mediaType(head);
        OptionalLong length = head.headers().firstValueAsLong("Content-Length");
        Optional<Digest> announced = digestHeader(head);
        if (length.isPresent() && length.getAsLong() > MAX_MANIFEST_SIZE) {
            throw tooLarge(reference.toString(), length.getAsLong());
        }
        if (reference.digest() != null && announced.isPresent() && !announced.get().equals(reference.digest())) {
            throw HawserException.failedPrecondition("registry " + head.uri().getRawAuthority() + " answered for "
                    + reference + " with digest " + announced.get());
        }
        Digest digest = reference.digest() != null ? reference.digest() : announced.orElse(null);
        boolean known = mediaType.filter(t -> MediaTypes.isIndex(t) || MediaTypes.isManifest(t)).isPresent();
        if (!known || length.isEmpty() || digest == null) {
            return Optional.empty();
        }
        return Optional.of(new Descriptor(mediaType.get(), digest, length.getAsLong()));
    }

    private static void checkManifestType(String mediaType, Reference reference, URI uri) throws HawserException {
        if (mediaType.isEmpty()) {
            throw HawserException.invalidArgument("manifest of " + reference + " from " + uri + " names no media type");
        }
        if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
            throw HawserException.invalidArgument("manifest of " + reference + " from " + uri + " has media type '"
                    + mediaType + "', which is neither an OCI or Docker schema 2 manifest nor an index");
        }
    }

    /** The media type in a manifest body, for registries that answer with a generic content type. */
    private String mediaTypeInside(byte[] body) {
        try {
            return RegistryJson.MAPPER.readTree(body).path("mediaType").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** A response's content type without parameters, unless it is missing or generic JSON. */
    private static Optional<String> mediaType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type")
                .map(type -> type.contains(";") ? type.substring(0, type.indexOf(';')) : type)
                .map(String::strip)
                .filter(type -> !type.isEmpty() && !type.equals("application/json") && !type.equals("text/plain")
                        && !type.equals("application/octet-stream"));
    }

    private static Optional<Digest> digestHeader(HttpResponse<?> response) throws HawserException {
        Optional<String> header = response.headers().firstValue(DIGEST_HEADER);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(header.get().strip()));
        } catch (IllegalArgumentException e) {
            throw HawserException.failedPrecondition("registry " + response.uri().getRawAuthority() + " sent a bad "
                    + DIGEST_HEADER + " header: " + e.getMessage());
        }
    }

    /** A blob's GET from an offset; the answer is 200 for the whole blob or 206 for the rest. */
    private HttpResponse<InputStream> openAt(Target target, Descriptor blob, long offset) throws IOException {
        URI uri = target.host().resolve(target.repository() + "/blobs/" + blob.digest());
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> response = exchange(target, "GET", uri, headers);
        String what = "blob " + blob.digest() + " of " + target.repository();
        int status = response.statusCode();
        if (status == 206) {
            String range = response.headers().firstValue("Content-Range").orElse("");
            Matcher m = CONTENT_RANGE.matcher(range);
            if (!m.matches() || Long.parseLong(m.group(1)) != offset) {
                response.body().close();
                throw HawserException.unavailable("registry " + response.uri().getRawAuthority() + " answered the range request for "
                        + what + " from " + offset + " with Content-Range '" + range + "'");
            }
            return response;
        }
        expectSuccess(target, response, what);
        return response;
    }

    private static void copy(InputStream body, BlobSink sink) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_SIZE];
        int n;
        while ((n = body.read(buffer)) >= 0) {
            sink.write(ByteBuffer.wrap(buffer, 0, n));
        }
    }

    /**
     * The credentials for a host: the caller's when they are for it (those without a server
     * address are for the registry's own server, not its mirrors), else those of the files.
     */
    private Target target(RegistryHost host, Reference reference, RegistryAuth given) throws HawserException {
        RegistryAuth credentials = null;
        if (given != null) {
            String server = given.serverAddress();
            boolean forHost = server.isEmpty()
                    ? !host.mirror()
                    : DockerCredentials.normalizeHost(server).equals(DockerCredentials.normalizeHost(host.authority()))
                    || !host.mirror() && DockerCredentials.normalizeHost(server).equals(DockerCredentials.normalizeHost(reference.domain()));
            credentials = forHost ? given : null;
        }
        if (credentials == null) {
            credentials = credentialFiles.lookup(host.authority()).orElse(null);
        }
        return new Target(host, reference.path(), credentials);
    }

    private static List<RegistryHost> pullHostsStartingWith(RegistryHost first, List<RegistryHost> all) {
        List<RegistryHost> ordered = new ArrayList<>();
        ordered.add(first);
        all.stream().filter(h -> h != first && h.can(Capability.PULL)).forEach(ordered::add);
        return ordered;
    }

    /**
     * Sends a request, answering a 401 challenge once. Anything but a 401 is returned for the
     * caller to judge.
     */
    private HttpResponse<InputStream> exchange(Target target, String method, URI uri, Map<String, String> headers) throws IOException {
        RegistryHost host = target.host();
        Optional<String> authorization = authorizer.authorization(host, target.scope(), target.credentials());
        HttpResponse<InputStream> response = follow(host, method, uri, headers, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        response.body().close();
        AuthChallenge challenge = AuthChallenge.select(response.headers().allValues("WWW-Authenticate"))
                .orElseThrow(() -> HawserException.unauthenticated("registry " + host.authority()
                        + " answered 401 without a Basic or Bearer challenge for " + uri));
        authorizer.challenged(host, challenge, target.scope(), target.credentials());
        Optional<String> retry = authorizer.authorization(host, target.scope(), target.credentials());
        if (retry.isEmpty()) {
            throw missingCredentials(host);
        }
        response = follow(host, method, uri, headers, retry);
        if (response.statusCode() == 401) {
            response.body().close();
            throw target.credentials() == null
                    ? missingCredentials(host)
                    : HawserException.unauthenticated("registry " + host.authority() + " refused the credentials for "
                    + target.repository() + " (" + describe(target.credentials()) + ")");
        }
        return response;
    }

    private HawserException missingCredentials(RegistryHost host) {
        return HawserException.unauthenticated("registry " + host.authority()
                + " requires credentials and none are configured for it (looked in the request and in "
                + credentialFiles.files() + ")");
    }

    private static String describe(RegistryAuth credentials) {
        return switch (credentials) {
            case RegistryAuth.Basic basic -> "user " + basic.username();
            case RegistryAuth.IdentityToken ignored -> "identity token";
            case RegistryAuth.RegistryToken ignored -> "registry token";
        };
    }

    /**
     * Sends a request and follows redirects. The host's configured headers and the authorization
     * go only to the host itself, not to the storage a redirect leads to.
     */
    private HttpResponse<InputStream> follow(RegistryHost host, String method, URI uri, Map<String, String> headers,
                                             Optional<String> authorization) throws IOException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            checkPlainHttp(host, current);
            boolean toHost = Objects.equals(current.getRawAuthority(), host.authority());
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(settings.responseTimeout());
            if ("http".equals(current.getScheme())) {
                // no h2c upgrade attempt: plain-HTTP registries speak HTTP/1.1
                request.version(HttpClient.Version.HTTP_1_1);
            }
            headers.forEach(request::header);
            if (toHost) {
                host.headers().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
                authorization.ifPresent(value -> request.header("Authorization", value));
            }
            HttpResponse<InputStream> response = send(host, request.build(), HttpResponse.BodyHandlers.ofInputStream());
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            response.body().close();
            if (redirects >= settings.maxRedirects()) {
                throw HawserException.unavailable("registry " + host.authority() + " redirected more than "
                        + settings.maxRedirects() + " times, last from " + current);
            }
            current = current.resolve(location.get());
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Refuses plain HTTP except to loopback, the host itself when configured so, and plain-HTTP registries. */
    private void checkPlainHttp(RegistryHost host, URI uri) throws HawserException {
        if (!"http".equals(uri.getScheme())) {
            return;
        }
        String authority = uri.getRawAuthority();
        boolean configured = host.plainHttp() && Objects.equals(authority, host.authority());
        if (!configured && !hosts.plainHttpAllowed(authority)) {
            throw HawserException.failedPrecondition("refusing plain HTTP to " + authority + " (" + uri + "): it is not a loopback "
                    + "address and not configured as a plain-HTTP registry (an http:// host in hosts.toml)");
        }
    }

    private HttpResponse<byte[]> sendToTokenService(RegistryHost host, HttpRequest request) throws IOException {
        checkPlainHttp(host, request.uri());
        HttpRequest timed = HttpRequest.newBuilder(request, (name, value) -> true).timeout(settings.responseTimeout()).build();
        return send(host, timed, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends one request, turning the ways a host can be unreachable into UNAVAILABLE. */
    private <T> HttpResponse<T> send(RegistryHost host, HttpRequest request, HttpResponse.BodyHandler<T> body) throws IOException {
        String target = request.uri().getRawAuthority();
        HttpClient client = client(host);
        try {
            return client.send(request, body);
        } catch (HttpConnectTimeoutException e) {
            throw unavailable("cannot connect to registry host " + target + ": no answer within " + settings.connectTimeout().toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw unavailable("registry host " + target + " did not answer " + request.method() + " " + request.uri()
                    + " within " + settings.responseTimeout().toSeconds() + " s", e);
        } catch (ConnectException e) {
            boolean unknown = e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof UnknownHostException;
            throw unavailable(unknown
                    ? "unknown registry host " + request.uri().getHost() + " (" + request.uri() + ")"
                    : "cannot connect to registry host " + target + ": connection refused (" + request.uri() + ")", e);
        } catch (SSLException e) {
            throw unavailable("TLS with registry host " + target + " failed: " + e.getMessage()
                    + " (a hosts.toml can name its CA with 'ca' or set 'skip_verify')", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + request.uri());
        } catch (HawserException e) {
            throw e;
        } catch (IOException e) {
            throw unavailable("request " + request.method() + " " + request.uri() + " failed: " + e, e);
        }
    }

    private HttpClient client(RegistryHost host) throws IOException {
        try {
            return clientFor(new TlsProfile(host.skipVerify(), host.caFiles())).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while setting up the HTTP client for " + host.root());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof HawserException refused ? refused : new IOException(e.getCause());
        }
    }

    /** The client for a TLS profile: built, being built, or started now. */
    private CompletableFuture<HttpClient> clientFor(TlsProfile profile) {
        return clients.compute(profile, (key, current) -> current != null && !current.isCompletedExceptionally()
                ? current
                : CompletableFuture.supplyAsync(() -> build(key), executor));
    }

    private HttpClient build(TlsProfile profile) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!profile.skipVerify() && profile.caFiles().isEmpty()) {
            // the JDK's own authorities: nothing to check now, so TLS is set up when a host needs it
            return builder.sslContext(TlsContexts.systemDeferred()).sslParameters(TlsContexts.clientParameters()).build();
        }
        try {
            // configured CA files are read now, so a bad one fails the request that needs it, naming the file
            return builder.sslContext(TlsContexts.create(profile.skipVerify(), profile.caFiles())).build();
        } catch (HawserException e) {
            throw new CompletionException(e);
        }
    }

    private void expectSuccess(Target target, HttpResponse<InputStream> response, String what) throws IOException {
        if (response.statusCode() / 100 != 2) {
            throw statusError(target, response, what);
        }
    }

    /** The refusal a status stands for, with the registry's own explanation when it gives one. */
    private HawserException statusError(Target target, HttpResponse<InputStream> response, String what) throws IOException {
        int status = response.statusCode();
        String explanation;
        try (InputStream body = response.body()) {
            explanation = registryMessage(body.readNBytes(ERROR_BODY_LIMIT));
        }
        String where = response.request().method() + " " + response.uri();
        return switch (status) {
            case 404 -> HawserException.notFound(what + " at " + target.host().root());
            case 403 -> HawserException.unauthenticated("registry " + target.host().authority() + " denied access to " + what
                    + " (" + where + " answered 403" + explanation + ")");
            default -> status >= 500 || status == 429
                    ? HawserException.unavailable("registry answered " + status + " to " + where + explanation)
                    : HawserException.invalidArgument("registry answered " + status + " to " + where + " for " + what + explanation);
        };
    }

    /** The first message of a distribution API error body, {@code {"errors":[{"message":…}]}}. */
    private String registryMessage(byte[] body) {
        try {
            JsonNode errors = RegistryJson.MAPPER.readTree(body).path("errors");
            String message = errors.path(0).path("message").asText("");
            return message.isEmpty() ? "" : ": " + message;
        } catch (IOException e) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.isEmpty() || text.length() > 200 ? "" : ": " + text;
        }
    }

    private static HawserException tooLarge(String what, long size) {
        return HawserException.invalidArgument("manifest " + what + " is " + size + " bytes, more than the "
                + MAX_MANIFEST_SIZE + " bytes (4 MiB) Hawser accepts");
    }

    private static HawserException unavailable(String message, Throwable cause) {
        return new HawserException(ErrorCode.UNAVAILABLE, message, cause);
    }

    /** One request to one host, in a series of hosts tried in turn. */
    @FunctionalInterface
    private interface HostAttempt<T> {
        T at(RegistryHost host) throws IOException;
    }

    /** The first host that answered, what it answered, and why the hosts before it failed. */
    private record Answer<T>(RegistryHost host, T value, List<String> tried) {}

    /**
     * Tries the hosts in order until one answers; a host that refuses (any {@link HawserException})
     * is passed over. When all refuse, the last refusal is thrown, naming every host's.
     */
    private static <T> Answer<T> firstAnswer(List<RegistryHost> candidates, HostAttempt<T> attempt) throws IOException {
        List<String> tried = new ArrayList<>();
        HawserException last = null;
        for (RegistryHost host : candidates) {
            try {
                return new Answer<>(host, attempt.at(host), tried);
            } catch (HawserException e) {
                tried.add(host.root() + ": " + e.getMessage());
                last = e;
            }
        }
        throw withAttempts(Objects.requireNonNull(last, "no hosts to try"), tried);
    }

    /** The last host's refusal, its message followed by what every host tried answered. */
    private static HawserException withAttempts(HawserException last, List<String> tried) {
        if (tried.size() < 2) {
            return last;
        }
        return new HawserException(last.code(), last.getMessage() + " (tried " + String.join("; ", tried) + ")", last);
    }
}
