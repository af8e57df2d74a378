package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hawser.content.Digest;

/**
 * A minimal distribution API registry on 127.0.0.1 for tests: manifests by tag or digest, blobs by
 * digest, optional Basic or Bearer authentication with its own token endpoint at {@code /token},
 * and switches for the misbehaviours the client must handle. Every request is recorded.
 */
final class FakeRegistry implements AutoCloseable {

    enum Auth { NONE, BASIC, BEARER }

    /** A request as the registry saw it. */
    record Request(String method, String path, Headers headers) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private record Manifest(String mediaType, byte[] body) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<String> tokenScopes = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

    volatile Auth auth = Auth.NONE;
    volatile String user = "alice";
    volatile String password = "secret";
    /** Whether the token endpoint wants the user's credentials too, or hands out anonymous tokens. */
    volatile boolean tokenNeedsCredentials = true;
    volatile int tokenLifetimeSeconds = 300;
    volatile boolean ignoreRange;
    volatile boolean answerHead = true;
    volatile int failWith;
    /** Where blob GETs are redirected to: a fake registry's URL, which serves them under {@code /storage/<digest>}. */
    volatile URI storage;
    /** A manifest size the HEAD answer claims, to test the size limit without sending it. */
    volatile long claimedManifestLength = -1;
    private final AtomicInteger tokenSerial = new AtomicInteger();
    private volatile String currentToken = "";

    FakeRegistry() throws IOException {
        this(null);
    }

    /** A registry speaking HTTPS with the given context, or plain HTTP when it is {@code null}. */
    FakeRegistry(SSLContext tls) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code 127.0.0.1:port}, the domain of references to this registry. */
    String authority() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    URI url() {
        return URI.create((server instanceof HttpsServer ? "https://" : "http://") + authority());
    }

    /** Stores a manifest under its digest and, if given, a tag; returns the digest. */
    Digest putManifest(String repository, String tag, String mediaType, byte[] body) {
        Digest digest = Digest.sha256(body);
        manifests.put(repository + "@" + digest, new Manifest(mediaType, body));
        if (tag != null) {
            manifests.put(repository + "@" + tag, new Manifest(mediaType, body));
        }
        return digest;
    }

    /** Stores a blob under its digest; returns the digest. */
    Digest putBlob(byte[] data) {
        Digest digest = Digest.sha256(data);
        blobs.put(digest.toString(), data);
        return digest;
    }

    /** Stores bytes under a digest they do not have, as a corrupted registry storage would. */
    void putCorruptBlob(Digest digest, byte[] data) {
        blobs.put(digest.toString(), data);
    }

    List<Request> requests(String method, String pathPart) {
        List<Request> matching = new ArrayList<>();
        for (Request r : requests) {
            if (r.method().equals(method) && r.path().contains(pathPart)) {
                matching.add(r);
            }
        }
        return matching;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestHeaders()));
            if (path.equals("/token")) {
                token(exchange);
                return;
            }
            if (path.startsWith("/storage/")) {
                blob(exchange, path.substring("/storage/".length()), false);
                return;
            }
            if (failWith != 0) {
                send(exchange, failWith, "application/json", "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"storage exploded\"}]}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!authorized(exchange)) {
                return;
            }
            int manifestsAt = path.lastIndexOf("/manifests/");
            int blobsAt = path.lastIndexOf("/blobs/");
            if (path.startsWith("/v2/") && manifestsAt > 0) {
                manifest(exchange, path.substring(4, manifestsAt), path.substring(manifestsAt + "/manifests/".length()));
            } else if (path.startsWith("/v2/") && blobsAt > 0) {
                blob(exchange, path.substring(blobsAt + "/blobs/".length()), true);
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        switch (auth) {
            case NONE -> {
                return true;
            }
            case BASIC -> {
                if (basic().equals(given)) {
                    return true;
                }
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake registry\"");
            }
            case BEARER -> {
                if (!currentToken.isEmpty() && ("Bearer " + currentToken).equals(given)) {
                    return true;
                }
                String repository = exchange.getRequestURI().getPath().replaceFirst("^/v2/(.*)/(manifests|blobs)/.*$", "$1");
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url() + "/token\",service=\"fake\",scope=\"repository:" + repository + ":pull\"");
            }
        }
        send(exchange, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("scope=")) {
                tokenScopes.add(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        if (tokenNeedsCredentials && !basic().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        currentToken = "token-" + tokenSerial.incrementAndGet();
        String answer = "{\"token\":\"" + currentToken + "\",\"expires_in\":" + tokenLifetimeSeconds + "}";
        send(exchange, 200, "application/json", answer.getBytes(StandardCharsets.UTF_8));
    }

    private void manifest(HttpExchange exchange, String repository, String reference) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD") && !answerHead) {
            send(exchange, 405, "text/plain", new byte[0]);
            return;
        }
        Manifest m = manifests.get(repository + "@" + reference);
        if (m == null) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(m.body()).toString());
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().add("Content-Type", m.mediaType());
            long length = claimedManifestLength >= 0 ? claimedManifestLength : m.body().length;
            exchange.getResponseHeaders().add("Content-Length", Long.toString(length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, m.mediaType(), m.body());
    }

    private void blob(HttpExchange exchange, String digest, boolean mayRedirect) throws IOException {
        if (mayRedirect && storage != null) {
            exchange.getResponseHeaders().add("Location", storage + "/storage/" + digest);
            exchange.sendResponseHeaders(307, -1);
            return;
        }
        byte[] data = blobs.get(digest);
        if (data == null) {
            send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && !ignoreRange) {
            int from = Integer.parseInt(m.group(1));
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            byte[] rest = Arrays.copyOfRange(data, from, data.length);
            send(exchange, 206, "application/octet-stream", rest);
            return;
        }
        send(exchange, 200, "application/octet-stream", data);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            body = new byte[0];
        }
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
