package io.hawser.itest.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few calls of the distribution HTTP API the fixture needs: push images and indexes
 * (monolithic blob uploads, manifests by digest and by tag) and read back what a registry serves.
 * On a 401 it answers the challenge once with its credentials: basic auth directly, or a bearer
 * token fetched from the challenge's realm; it knows nothing else of auth, on purpose.
 */
public final class RegistryApiClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final URI base;
    private final Credentials credentials;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    /** The Authorization header that answered the last challenge, sent until a new one comes. */
    private volatile String authorization;

    /** A client of the registry at {@code base} ({@code http://127.0.0.1:PORT}); {@code credentials} may be null. */
    public RegistryApiClient(URI base, Credentials credentials) {
        this.base = base;
        this.credentials = credentials;
    }

    /** Uploads the blobs the registry lacks, then the manifest under {@code tag}. */
    public void push(String repository, String tag, TestImage image) throws IOException, InterruptedException {
        for (Blob blob : image.blobs()) {
            pushBlob(repository, blob);
        }
        putManifest(repository, tag, image.manifest());
    }

    /** Pushes every image of the index by digest, then the index under {@code tag}. */
    public void push(String repository, String tag, TestIndex index) throws IOException, InterruptedException {
        for (TestImage image : index.images()) {
            for (Blob blob : image.blobs()) {
                pushBlob(repository, blob);
            }
            putManifest(repository, image.manifest().digest(), image.manifest());
        }
        putManifest(repository, tag, index.index());
    }

    /** Uploads a blob in one request unless the registry has it already. */
    public void pushBlob(String repository, Blob blob) throws IOException, InterruptedException {
        if (exchange("HEAD", "/v2/" + repository + "/blobs/" + blob.digest(), null, null).statusCode() == 200) {
            return;
        }
        HttpResponse<byte[]> started = expect(202, "starting the upload of " + blob,
                exchange("POST", "/v2/" + repository + "/blobs/uploads/", new byte[0], null));
        String location = started.headers().firstValue("Location")
                .orElseThrow(() -> new IOException("the registry started an upload without a Location"));
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + URLEncoder.encode(blob.digest(), StandardCharsets.UTF_8);
        expect(201, "uploading " + blob, exchange("PUT", target, blob.bytes(), "application/octet-stream"));
    }

    /** Puts a manifest or index under a tag or its digest, with its media type as Content-Type. */
    public void putManifest(String repository, String reference, Blob manifest) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = expect(201, "putting " + manifest + " as " + repository + ":" + reference,
                exchange("PUT", "/v2/" + repository + "/manifests/" + reference, manifest.bytes(), manifest.mediaType()));
        String digest = response.headers().firstValue("Docker-Content-Digest").orElse("");
        if (!digest.equals(manifest.digest())) {
            throw new IOException("the registry stored " + manifest + " as " + digest);
        }
    }

    /** GETs a path of the API ({@code /v2/…}), answering an auth challenge if there is one. */
    public HttpResponse<byte[]> get(String path, String... accept) throws IOException, InterruptedException {
        return exchange("GET", path, null, accept.length == 0 ? null : String.join(", ", accept));
    }

    /**
     * Sends one request; on a 401 with credentials at hand, answers the challenge and sends it
     * again, once. {@code contentTypeOrAccept} is the Content-Type of a body, or Accept without one.
     */
    private HttpResponse<byte[]> exchange(String method, String pathOrUri, byte[] body, String contentTypeOrAccept)
            throws IOException, InterruptedException {
        URI uri = base.resolve(pathOrUri);
        HttpResponse<byte[]> response = http.send(request(method, uri, body, contentTypeOrAccept), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 401 || credentials == null) {
            return response;
        }
        authorization = answer(response.headers().firstValue("WWW-Authenticate")
                .orElseThrow(() -> new IOException(method + " " + uri + " answered 401 without a challenge")));
        return http.send(request(method, uri, body, contentTypeOrAccept), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String method, URI uri, byte[] body, String contentTypeOrAccept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentTypeOrAccept != null) {
            request.header(body == null ? "Accept" : "Content-Type", contentTypeOrAccept);
        }
        String current = authorization;
        if (current != null) {
            request.header("Authorization", current);
        }
        return request.build();
    }

    /** The Authorization header that answers a {@code Basic} or {@code Bearer} challenge. */
    private String answer(String challenge) throws IOException, InterruptedException {
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            return credentials.basicAuthorization();
        }
        if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw new IOException("unknown auth challenge: " + challenge);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        StringBuilder query = new StringBuilder("service=").append(URLEncoder.encode(parameters.getOrDefault("service", ""), StandardCharsets.UTF_8));
        if (parameters.containsKey("scope")) {
            query.append("&scope=").append(URLEncoder.encode(parameters.get("scope"), StandardCharsets.UTF_8));
        }
        URI tokenUri = URI.create(parameters.get("realm") + "?" + query);
        HttpResponse<byte[]> response = expect(200, "getting a token from " + tokenUri, http.send(
                HttpRequest.newBuilder(tokenUri).timeout(TIMEOUT).header("Authorization", credentials.basicAuthorization()).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        JsonNode token = ImageBuilder.JSON.readTree(response.body()).path("token");
        if (!token.isTextual()) {
            throw new IOException("the token endpoint answered without a token: " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return "Bearer " + token.asText();
    }

    private static HttpResponse<byte[]> expect(int status, String what, HttpResponse<byte[]> response) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(what + ": " + response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }
}
