package io.hawser.itest.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The basic-auth and token-auth variants of {@link LocalRegistry} refuse strangers and serve the credentialed. */
class RegistryAuthTest {

    private static final Credentials ALICE = new Credentials("alice", "correct horse");
    private static final Credentials MALLORY = new Credentials("alice", "wrong horse");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void basicAuthRegistryServesOnlyTheRightCredentials() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(ALICE)) {
            HttpResponse<String> anonymous = send(registry.baseUri().resolve("/v2/"), null);
            assertEquals(401, anonymous.statusCode());
            assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic realm="),
                    anonymous.headers().map().toString());
            assertEquals(401, send(registry.baseUri().resolve("/v2/"), MALLORY.basicAuthorization()).statusCode());
            assertEquals(200, send(registry.baseUri().resolve("/v2/"), ALICE.basicAuthorization()).statusCode());

            TestImage image = pushSmallImage(registry, "private/basic");
            assertArrayEquals(image.manifest().bytes(),
                    registry.client().get("/v2/private/basic/manifests/latest", image.manifest().mediaType()).body());
            assertThrows(IOException.class, () -> new RegistryApiClient(registry.baseUri(), MALLORY).push("private/basic", "v2", image));
        }
    }

    @Test
    void tokenAuthRegistryChallengesAndServesWithATokenFromTheTokenServer() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withTokenAuth(ALICE)) {
            TokenServer tokens = registry.tokenServer().orElseThrow();
            TestImage image = pushSmallImage(registry, "private/token");
            // the registry lists the actions of its challenge in no fixed order
            assertTrue(tokens.grantedScopes().stream().anyMatch(scope -> scope.startsWith("repository:private/token:") && scope.contains("push")),
                    tokens.grantedScopes().toString());

            URI manifest = registry.baseUri().resolve("/v2/private/token/manifests/latest");
            HttpResponse<String> challenged = send(manifest, null);
            assertEquals(401, challenged.statusCode());
            assertEquals("Bearer realm=\"" + tokens.realm() + "\",service=\"" + TokenServer.SERVICE
                    + "\",scope=\"repository:private/token:pull\"", challenged.headers().firstValue("WWW-Authenticate").orElseThrow());

            String tokenRequest = tokens.realm() + "?service=" + TokenServer.SERVICE + "&scope=repository:private/token:pull";
            assertEquals(401, send(URI.create(tokenRequest), MALLORY.basicAuthorization()).statusCode());
            assertEquals(401, send(URI.create(tokenRequest), null).statusCode());
            assertEquals(2, tokens.refusals());
            HttpResponse<String> granted = send(URI.create(tokenRequest), ALICE.basicAuthorization());
            assertEquals(200, granted.statusCode());
            String token = ImageBuilder.JSON.readTree(granted.body()).path("token").asText();

            HttpResponse<String> served = send(manifest, "Bearer " + token, image.manifest().mediaType());
            assertEquals(200, served.statusCode());
            assertEquals(image.manifest().digest(), served.headers().firstValue("Docker-Content-Digest").orElseThrow());
        }
    }

    @Test
    void tokenAuthRegistryRefusesForgedExpiredAndOutOfScopeTokens() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withTokenAuth(ALICE)) {
            TokenServer tokens = registry.tokenServer().orElseThrow();
            TestImage image = pushSmallImage(registry, "private/refused");
            URI manifest = registry.baseUri().resolve("/v2/private/refused/manifests/latest");
            List<String> pull = List.of("repository:private/refused:pull");
            assertEquals(200, send(manifest, "Bearer " + tokens.issue("alice", pull), image.manifest().mediaType()).statusCode());

            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String forged = TokenServer.sign(tokens.header(), tokens.claims("alice", pull, Instant.now()), rsa.generateKeyPair().getPrivate());
            String expired = tokens.sign(tokens.header(), tokens.claims("alice", pull, Instant.now().minusSeconds(3600)));
            String otherRepository = tokens.issue("alice", List.of("repository:private/other:pull"));

            assertChallenged(send(manifest, "Bearer " + forged, image.manifest().mediaType()), "invalid_token");
            assertChallenged(send(manifest, "Bearer " + expired, image.manifest().mediaType()), "invalid_token");
            assertChallenged(send(manifest, "Bearer " + otherRepository, image.manifest().mediaType()), "insufficient_scope");
        }
    }

    /** Pushes a one-layer image as {@code repository:latest} with the registry's own credentials. */
    private static TestImage pushSmallImage(LocalRegistry registry, String repository) throws IOException, InterruptedException {
        TestImage image = ImageBuilder.oci().fileLayer("/etc/hawser-test", repository).build();
        registry.client().push(repository, "latest", image);
        return image;
    }

    private static void assertChallenged(HttpResponse<String> response, String error) {
        assertEquals(401, response.statusCode());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.startsWith("Bearer ") && challenge.endsWith("error=\"" + error + "\""), challenge);
    }

    /** A GET with this Authorization (none if null) and Accept headers, outside the fixture's client. */
    private HttpResponse<String> send(URI uri, String authorization, String... accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (String type : accept) {
            request.header("Accept", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
