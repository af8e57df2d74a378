package io.hawser.kernel.internal.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.errors.HawserException;
import io.hawser.images.RegistryAuth;

/**
 * Decides the {@code Authorization} header of registry requests: nothing until a host has
 * answered 401, then what its challenge asks for. For Basic, the user name and password; for
 * Bearer, a token from the token service the challenge names, fetched with the credentials (or
 * anonymously), and cached per realm, service, scope and credentials until it expires.
 *
 * <p>Safe for concurrent use: two requests that need the same token at once may both fetch it,
 * which is harmless.
 */
final class Authorizer {

    /** Sends a request to a token service with the TLS settings of the registry host it serves. */
    @FunctionalInterface
    interface Transport {
        HttpResponse<byte[]> send(RegistryHost host, HttpRequest request) throws IOException;
    }

    /** The distribution token specification's lifetime of a token whose answer names none. */
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    /** Renew this long before expiry, so a token does not expire on its way to the registry. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);
    /** The OAuth client id Hawser names when it exchanges an identity token. */
    private static final String CLIENT_ID = "hawser";

    private record TokenKey(String realm, String service, List<String> scopes, RegistryAuth credentials) {}

    private record Token(String value, Instant expires) {}

    private final Transport transport;
    private final Clock clock;
    /** The last challenge of each host, by authority. */
    private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final Map<TokenKey, Token> tokens = new ConcurrentHashMap<>();

    Authorizer(Transport transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    /**
     * The header value for a request to a host, or empty to send none: the host has not
     * challenged yet, or it wants Basic credentials and there are none.
     *
     * @param scope       the access wanted, {@code repository:<path>:pull}
     * @param credentials the credentials for the host, or {@code null}
     * @throws HawserException {@code UNAUTHENTICATED} when the token service refuses the
     *                         credentials, {@code UNAVAILABLE} when it fails
     */
    Optional<String> authorization(RegistryHost host, String scope, RegistryAuth credentials) throws IOException {
        if (credentials instanceof RegistryAuth.RegistryToken token) {
            return Optional.of("Bearer " + token.token());
        }
        AuthChallenge challenge = challenges.get(host.authority());
        if (challenge == null) {
            return Optional.empty();
        }
        if (challenge.scheme().equals(AuthChallenge.BASIC)) {
            return credentials instanceof RegistryAuth.Basic basic ? Optional.of(basicHeader(basic)) : Optional.empty();
        }
        TokenKey key = tokenKey(host, challenge, scope, credentials);
        Token token = tokens.get(key);
        if (token == null || !clock.instant().isBefore(token.expires().minus(EXPIRY_MARGIN))) {
            token = fetchToken(host, key);
            tokens.put(key, token);
        }
        return Optional.of("Bearer " + token.value());
    }

    /**
     * Records a host's 401 challenge and forgets the token the host just refused, so the next
     * {@link #authorization} answers the challenge afresh.
     */
    void challenged(RegistryHost host, AuthChallenge challenge, String scope, RegistryAuth credentials) {
        AuthChallenge previous = challenges.put(host.authority(), challenge);
        if (previous != null && previous.scheme().equals(AuthChallenge.BEARER)) {
            tokens.remove(tokenKey(host, previous, scope, credentials));
        }
    }

    static String basicHeader(RegistryAuth.Basic basic) {
        String pair = basic.username() + ":" + basic.password();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static TokenKey tokenKey(RegistryHost host, AuthChallenge challenge, String scope, RegistryAuth credentials) {
        List<String> scopes = new ArrayList<>();
        scopes.add(scope);
        challenge.parameter("scope").filter(s -> !s.isEmpty() && !s.equals(scope)).ifPresent(scopes::add);
        String realm = challenge.parameter("realm").orElse("");
        return new TokenKey(realm, challenge.parameter("service").orElse(""), List.copyOf(scopes), credentials);
    }

    private Token fetchToken(RegistryHost host, TokenKey key) throws IOException {
        if (key.realm().isEmpty()) {
            throw HawserException.unauthenticated("registry " + host.authority() + " asks for a bearer token but names no token service (realm)");
        }
        URI realm;
        try {
            realm = URI.create(key.realm());
        } catch (IllegalArgumentException e) {
            throw HawserException.unauthenticated("registry " + host.authority() + " names a token service that is not a URL: " + key.realm());
        }
        HttpRequest request = key.credentials() instanceof RegistryAuth.IdentityToken identity
                ? refreshRequest(realm, key, identity)
                : tokenRequest(realm, key);
        HttpResponse<byte[]> response = transport.send(host, request);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw HawserException.unauthenticated(key.credentials() == null
                    ? "registry " + host.authority() + " requires credentials and none are configured for it (token service " + realm + " answered " + status + ")"
                    : "token service " + realm + " of registry " + host.authority() + " refused the credentials (" + status + ")");
        }
        if (status != 200) {
            throw HawserException.unavailable("token service " + realm + " of registry " + host.authority() + " answered " + status);
        }
        return parseToken(host, realm, response.body());
    }

    /** GET with the scopes as query parameters, Basic credentials if there are any. */
    private static HttpRequest tokenRequest(URI realm, TokenKey key) {
        List<String> query = new ArrayList<>();
        if (!key.service().isEmpty()) {
            query.add("service=" + encode(key.service()));
        }
        key.scopes().forEach(scope -> query.add("scope=" + encode(scope)));
        String separator = realm.getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(realm + (query.isEmpty() ? "" : separator + String.join("&", query)));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (key.credentials() instanceof RegistryAuth.Basic basic) {
            request.header("Authorization", basicHeader(basic));
        }
        return request.build();
    }

    /** The OAuth 2 refresh-token grant Docker uses to exchange an identity token. */
    private static HttpRequest refreshRequest(URI realm, TokenKey key, RegistryAuth.IdentityToken identity) {
        String form = "grant_type=refresh_token&client_id=" + CLIENT_ID
                + "&service=" + encode(key.service())
                + "&scope=" + encode(String.join(" ", key.scopes()))
                + "&refresh_token=" + encode(identity.token());
        return HttpRequest.newBuilder(realm)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
    }

    private Token parseToken(RegistryHost host, URI realm, byte[] body) throws HawserException {
        JsonNode answer;
        try {
            answer = RegistryJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw HawserException.unavailable("token service " + realm + " of registry " + host.authority() + " answered with something not JSON");
        }
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            token = answer.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw HawserException.unavailable("token service " + realm + " of registry " + host.authority() + " answered without a token");
        }
        long seconds = answer.path("expires_in").asLong(0);
        Duration lifetime = seconds < DEFAULT_TOKEN_LIFETIME.toSeconds() ? DEFAULT_TOKEN_LIFETIME : Duration.ofSeconds(seconds);
        return new Token(token, clock.instant().plus(lifetime));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
