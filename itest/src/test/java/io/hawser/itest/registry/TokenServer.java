package io.hawser.itest.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The token endpoint of the Docker registry bearer-token flow, in the test JVM on 127.0.0.1: it
 * checks basic credentials and answers {@code GET /token?service=…&scope=…} with an RS256 JWT that
 * grants the requested pull and push actions.
 *
 * <p>What distribution 2.8.2 ({@code auth.token}) requires of a token, found by sending it
 * variants of this server's tokens:
 * <ul>
 *   <li>The verifying key comes from the JWS header. {@code x5c} holding the signing certificate
 *       (base64 DER, standard alphabet) is accepted when that certificate is in
 *       {@code rootcertbundle}. A {@code kid} without {@code x5c} is accepted only when it is the
 *       libtrust ID of a key in the bundle (SHA-256 of the DER SubjectPublicKeyInfo, first 30
 *       bytes, base32 without padding, groups of four joined by colons); any other {@code kid} is
 *       refused, and so is a header with neither. This server sends {@code x5c}: no
 *       libtrust-specific encoding needed.</li>
 *   <li>The signature must verify with that certificate's key and match {@code alg}: a token
 *       signed by another key, or labelled RS512 but signed RS256, is refused.</li>
 *   <li>{@code iss} must equal {@code auth.token.issuer}; {@code aud} must equal {@code service}
 *       and be a JSON string: an array holding the service is refused.</li>
 *   <li>{@code exp} is required and checked; {@code nbf}, {@code iat}, {@code jti} and
 *       {@code sub} may be left out.</li>
 *   <li>Refusals are 401 with a fresh {@code Bearer} challenge ending in
 *       {@code error="invalid_token"}; a valid token whose {@code access} lacks the repository or
 *       action gets {@code error="insufficient_scope"}. {@code GET /v2/} without a token is
 *       challenged without a scope; a manifest GET with {@code scope="repository:<name>:pull"};
 *       the upload POST of a push with {@code scope="repository:<name>:push,pull"}, the two
 *       actions in either order from one challenge to the next.</li>
 * </ul>
 */
public final class TokenServer implements AutoCloseable {

    public static final String SERVICE = "hawser-test-registry";
    public static final String ISSUER = "hawser-test-token-issuer";

    private static final long LIFETIME_SECONDS = 300;
    private static final Set<String> GRANTABLE_ACTIONS = Set.of("pull", "push");
    private static final String STORE_PASSWORD = "hawser-test";

    private final Credentials credentials;
    private final PrivateKey signingKey;
    private final X509Certificate certificate;
    private final Path rootCertBundle;
    private final HttpServer server;
    private final List<String> grantedScopes = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();

    private TokenServer(Credentials credentials, PrivateKey signingKey, X509Certificate certificate, Path rootCertBundle)
            throws IOException {
        this.credentials = credentials;
        this.signingKey = signingKey;
        this.certificate = certificate;
        this.rootCertBundle = rootCertBundle;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::answer);
        server.start();
    }

    /**
     * Makes an RSA key and self-signed certificate in {@code dir} with the JDK's keytool, writes
     * the certificate as the registry's {@code rootcertbundle}, and starts serving.
     */
    public static TokenServer start(Path dir, Credentials credentials) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("token-issuer.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "issuer", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=" + ISSUER, "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("keytool did not make the issuer key: " + Files.readString(dir.resolve("keytool.log")));
        }
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("issuer", STORE_PASSWORD.toCharArray());
            X509Certificate certificate = (X509Certificate) store.getCertificate("issuer");
            Path bundle = dir.resolve("token-issuer.pem");
            Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            return new TokenServer(credentials, key, certificate, bundle);
        } catch (GeneralSecurityException e) {
            throw new IOException("reading the issuer key keytool made", e);
        }
    }

    /** The {@code auth.token.realm}: where clients ask for tokens. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** The PEM certificate the registry trusts as {@code auth.token.rootcertbundle}. */
    public Path rootCertBundle() {
        return rootCertBundle;
    }

    /** Every scope a token was issued for, in order, so tests can see what a client asked for. */
    public List<String> grantedScopes() {
        return List.copyOf(grantedScopes);
    }

    /** How many token requests were refused for missing or wrong credentials. */
    public int refusals() {
        return refusals.get();
    }

    /** A token for {@code subject} granting the pull and push actions the scopes ask for. */
    public String issue(String subject, List<String> scopes) {
        return sign(header(), claims(subject, scopes, Instant.now()));
    }

    /** The JWS header this server signs with: RS256 and the certificate in {@code x5c}. */
    Map<String, Object> header() {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
            return header;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encoding the issuer certificate", e);
        }
    }

    /** The claims of a token issued at {@code now}, valid for five minutes. */
    Map<String, Object> claims(String subject, List<String> scopes, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("aud", SERVICE);
        claims.put("exp", now.getEpochSecond() + LIFETIME_SECONDS);
        claims.put("nbf", now.getEpochSecond() - 1);
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", scopes.stream().map(TokenServer::access).toList());
        return claims;
    }

    /** A compact JWS of the header and claims, signed RS256 with the issuer key. */
    String sign(Map<String, Object> header, Map<String, Object> claims) {
        return sign(header, claims, signingKey);
    }

    static String sign(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = base64url.encodeToString(ImageBuilder.json(header)) + "." + base64url.encodeToString(ImageBuilder.json(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64url.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing", e);
        }
    }

    /** {@code repository:name:pull,push} → the access claim entry granting its pull and push. */
    private static Map<String, Object> access(String scope) {
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("a scope is type:name:actions, not '" + scope + "'");
        }
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("type", scope.substring(0, first));
        access.put("name", scope.substring(first + 1, last));
        access.put("actions", List.of(scope.substring(last + 1).split(",")).stream().filter(GRANTABLE_ACTIONS::contains).toList());
        return access;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!credentials.basicAuthorization().equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusals.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + ISSUER + "\"");
                respond(exchange, 401, Map.of("errors", List.of(Map.of("code", "UNAUTHORIZED", "message", "wrong or missing credentials"))));
                return;
            }
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            if (!List.of(SERVICE).equals(query.get("service"))) {
                respond(exchange, 400, Map.of("errors", List.of(Map.of("code", "DENIED", "message", "unknown service " + query.get("service")))));
                return;
            }
            List<String> scopes = query.getOrDefault("scope", List.of()).stream()
                    .flatMap(scope -> List.of(scope.split(" ")).stream())
                    .toList();
            Instant now = Instant.now();
            String token = sign(header(), claims(credentials.user(), scopes, now));
            grantedScopes.addAll(scopes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("token", token);
            body.put("access_token", token);
            body.put("expires_in", LIFETIME_SECONDS);
            body.put("issued_at", now.toString());
            respond(exchange, 200, body);
        }
    }

    private static void respond(HttpExchange exchange, int status, Object json) throws IOException {
        byte[] body = ImageBuilder.json(json);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, unused -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
