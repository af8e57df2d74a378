package io.hawser.kernel.internal.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.MediaTypes;
import io.hawser.images.Reference;
import io.hawser.images.RegistryAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class RegistryClientTest {

    private static final String REPOSITORY = "team/app";

    @TempDir
    Path dir;

    private FakeRegistry registry;
    private RegistryClient client;
    private byte[] config;
    private byte[] layer;
    private Descriptor layerDescriptor;
    private byte[] manifest;
    private Digest manifestDigest;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = new FakeRegistry();
        config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        layer = new byte[300_000];
        new Random(7).nextBytes(layer);
        Digest configDigest = registry.putBlob(config);
        Digest layerDigest = registry.putBlob(layer);
        layerDescriptor = new Descriptor(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length);
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        manifestDigest = registry.putManifest(REPOSITORY, "1.0", MediaTypes.OCI_MANIFEST, manifest);
        client = newClient(HostsConfig.defaults(), List.of());
    }

    @AfterEach
    void stop() {
        client.close();
        registry.close();
    }

    @Test
    void requestsUseTheClientPrepareStartedAndAClientStillBeingBuiltIsClosedWithIt() throws IOException {
        client.prepare();
        assertEquals(manifestDigest, client.resolve(reference(registry, "1.0"), null).root().digest());

        RegistryClient closedAtOnce = newClient(HostsConfig.defaults(), List.of());
        closedAtOnce.prepare();
        closedAtOnce.close();
    }

    @Test
    void anonymousPullResolvesWithHeadAndFetchesVerifiedContent() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);

        assertEquals(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length), resolution.root());
        assertEquals(registry.url() + "/v2", resolution.host().root().toString());
        assertTrue(resolution.tried().isEmpty());
        assertEquals(1, registry.requests("HEAD", "/manifests/1.0").size());
        assertTrue(registry.requests("GET", "/manifests/").isEmpty(), "HEAD told everything");
        String accept = registry.requests("HEAD", "/manifests/1.0").getFirst().header("Accept");
        for (String type : List.of(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST)) {
            assertTrue(accept.contains(type), accept);
        }

        assertArrayEquals(manifest, client.fetchManifest(resolution, resolution.root()));
        MemorySink sink = new MemorySink();
        BlobFetch fetch = client.fetchBlob(resolution, layerDescriptor, sink);
        assertArrayEquals(layer, sink.bytes());
        assertEquals(0, fetch.resumedFrom());
        try (InputStream in = client.openBlob(resolution, layerDescriptor)) {
            assertArrayEquals(layer, in.readAllBytes());
        }
    }

    @Test
    void resolvesByDigestAndKeepsTheDigest() throws IOException {
        Reference byDigest = Reference.parse(registry.authority() + "/" + REPOSITORY + "@" + manifestDigest);
        Resolution resolution = client.resolve(byDigest, null);
        assertEquals(manifestDigest, resolution.root().digest());
        assertEquals(1, registry.requests("HEAD", "/manifests/" + manifestDigest).size());
    }

    @Test
    void registryWithoutHeadIsAskedWithGetAndTheBodyIsVerified() throws IOException {
        registry.answerHead = false;
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        assertEquals(new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length), resolution.root());
        assertEquals(1, registry.requests("GET", "/manifests/1.0").size());
    }

    @Test
    void manifestNotMatchingTheDigestOfTheReferenceIsRefused() throws IOException {
        registry.answerHead = false;
        Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        registry.putManifest(REPOSITORY, null, MediaTypes.OCI_MANIFEST, manifest);
        // serve the real manifest under a digest it does not have
        registry.putManifest(REPOSITORY, other.toString(), MediaTypes.OCI_MANIFEST, manifest);
        Reference pinned = Reference.parse(registry.authority() + "/" + REPOSITORY + "@" + other);
        HawserException e = assertFails(ErrorCode.FAILED_PRECONDITION, () -> client.resolve(pinned, null));
        assertContains(e, "expected " + other, "got " + manifestDigest);
    }

    @Test
    void basicAuthWithCredentialsFromConfigJson() throws IOException {
        registry.auth = FakeRegistry.Auth.BASIC;
        Path configJson = dir.resolve("config.json");
        String auth = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(configJson, "{\"auths\":{\"http://" + registry.authority() + "\":{\"auth\":\"" + auth + "\"}}}");
        try (RegistryClient withFile = newClient(HostsConfig.defaults(), List.of(configJson))) {
            Resolution resolution = withFile.resolve(reference(registry, "1.0"), null);
            MemorySink sink = new MemorySink();
            withFile.fetchBlob(resolution, layerDescriptor, sink);
            assertArrayEquals(layer, sink.bytes());
        }
        String expected = "Basic " + auth;
        assertEquals(expected, registry.requests("GET", "/blobs/").getFirst().header("Authorization"),
                "after the first challenge credentials go with every request");
    }

    @Test
    void basicAuthWithCredentialsOfTheRequest() throws IOException {
        registry.auth = FakeRegistry.Auth.BASIC;
        Resolution resolution = client.resolve(reference(registry, "1.0"), new RegistryAuth.Basic("", "alice", "secret"));
        assertEquals(manifestDigest, resolution.root().digest());
    }

    @Test
    void missingCredentialsAreUnauthenticatedNamingTheRegistry() {
        registry.auth = FakeRegistry.Auth.BASIC;
        HawserException e = assertFails(ErrorCode.UNAUTHENTICATED, () -> client.resolve(reference(registry, "1.0"), null));
        assertContains(e, "registry " + registry.authority() + " requires credentials");
    }

    @Test
    void wrongCredentialsAreUnauthenticatedNamingTheUser() {
        registry.auth = FakeRegistry.Auth.BASIC;
        HawserException e = assertFails(ErrorCode.UNAUTHENTICATED,
                () -> client.resolve(reference(registry, "1.0"), new RegistryAuth.Basic("", "alice", "wrong")));
        assertContains(e, "refused the credentials", "user alice");
    }

    @Test
    void bearerChallengeGetsATokenForTheScopeAndCachesIt() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        RegistryAuth alice = new RegistryAuth.Basic("", "alice", "secret");
        Resolution resolution = client.resolve(reference(registry, "1.0"), alice);
        client.fetchManifest(resolution, resolution.root());
        client.fetchBlob(resolution, layerDescriptor, new MemorySink());

        assertEquals(1, registry.tokenRequests.get(), "one token serves every request of the scope");
        assertEquals(List.of("repository:" + REPOSITORY + ":pull"), registry.tokenScopes);
        FakeRegistry.Request tokenRequest = registry.requests("GET", "/token").getFirst();
        assertEquals(Authorizer.basicHeader((RegistryAuth.Basic) alice), tokenRequest.header("Authorization"));
        assertEquals("Bearer token-1", registry.requests("GET", "/blobs/").getFirst().header("Authorization"));
    }

    @Test
    void anonymousBearerTokenWhenTheTokenServiceGivesOne() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.tokenNeedsCredentials = false;
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        assertEquals(manifestDigest, resolution.root().digest());
        assertNull(registry.requests("GET", "/token").getFirst().header("Authorization"));
    }

    @Test
    void bearerTokenServiceRefusingAnonymousIsUnauthenticated() {
        registry.auth = FakeRegistry.Auth.BEARER;
        HawserException e = assertFails(ErrorCode.UNAUTHENTICATED, () -> client.resolve(reference(registry, "1.0"), null));
        assertContains(e, "requires credentials", registry.authority());
    }

    @Test
    void expiredTokenIsFetchedAgain() throws IOException {
        registry.auth = FakeRegistry.Auth.BEARER;
        registry.tokenLifetimeSeconds = 60;
        MutableClock clock = new MutableClock();
        try (RegistryClient timed = new RegistryClient(HostsConfig.defaults(), new DockerCredentials(List.of()),
                RegistryClient.Settings.defaults(), clock)) {
            RegistryAuth alice = new RegistryAuth.Basic("", "alice", "secret");
            Resolution resolution = timed.resolve(reference(registry, "1.0"), alice);
            timed.fetchBlob(resolution, layerDescriptor, new MemorySink());
            assertEquals(1, registry.tokenRequests.get());
            clock.now = clock.now.plusSeconds(120);
            timed.fetchBlob(resolution, layerDescriptor, new MemorySink());
            assertEquals(2, registry.tokenRequests.get());
        }
    }

    @Test
    void serverErrorIsUnavailableNamingStatusAndUrl() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        registry.failWith = 500;
        HawserException e = assertFails(ErrorCode.UNAVAILABLE, () -> client.resolve(reference(registry, "1.0"), null));
        assertContains(e, "500", "HEAD " + registry.url() + "/v2/" + REPOSITORY + "/manifests/1.0");
        e = assertFails(ErrorCode.UNAVAILABLE, () -> client.fetchBlob(resolution, layerDescriptor, new MemorySink()));
        assertContains(e, "500", "GET " + registry.url() + "/v2/" + REPOSITORY + "/blobs/" + layerDescriptor.digest(),
                "storage exploded");
    }

    @Test
    void missingImageIsNotFoundNamingTheReference() {
        HawserException e = assertFails(ErrorCode.NOT_FOUND, () -> client.resolve(reference(registry, "2.0"), null));
        assertContains(e, registry.authority() + "/" + REPOSITORY + ":2.0", "not found");
    }

    @Test
    void missingBlobIsNotFound() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        Descriptor absent = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(new byte[] {1}), 1);
        HawserException e = assertFails(ErrorCode.NOT_FOUND, () -> client.fetchBlob(resolution, absent, new MemorySink()));
        assertContains(e, absent.digest().toString());
    }

    @Test
    void refusedConnectionIsUnavailableNamingTheHost() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Reference nobody = Reference.parse("127.0.0.1:" + port + "/app:1");
        HawserException e = assertFails(ErrorCode.UNAVAILABLE, () -> client.resolve(nobody, null));
        assertContains(e, "127.0.0.1:" + port, "connection refused");
    }

    @Test
    void unknownHostIsUnavailableNamingTheHost() throws IOException {
        HostsConfig plain = new HostsConfig(null, Set.of("no-such-host.invalid"));
        try (RegistryClient c = newClient(plain, List.of())) {
            HawserException e = assertFails(ErrorCode.UNAVAILABLE, () -> c.resolve(Reference.parse("no-such-host.invalid/app:1"), null));
            assertContains(e, "no-such-host.invalid");
        }
    }

    @Test
    void blobRedirectToStorageIsFollowedWithoutTheRegistryCredentials() throws IOException {
        try (FakeRegistry storage = new FakeRegistry()) {
            storage.putBlob(layer);
            registry.storage = storage.url();
            registry.auth = FakeRegistry.Auth.BASIC;
            Resolution resolution = client.resolve(reference(registry, "1.0"), new RegistryAuth.Basic("", "alice", "secret"));
            MemorySink sink = new MemorySink();
            client.fetchBlob(resolution, layerDescriptor, sink);
            assertArrayEquals(layer, sink.bytes());
            FakeRegistry.Request served = storage.requests("GET", "/storage/").getFirst();
            assertNull(served.header("Authorization"), "the registry's credentials stay with the registry");
        }
    }

    @Test
    void redirectsStopAtTheLimit() throws IOException {
        try (FakeRegistry storage = new FakeRegistry();
             RegistryClient limited = new RegistryClient(HostsConfig.defaults(), new DockerCredentials(List.of()),
                     new RegistryClient.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), 0))) {
            storage.putBlob(layer);
            registry.storage = storage.url();
            Resolution resolution = limited.resolve(reference(registry, "1.0"), null);
            HawserException e = assertFails(ErrorCode.UNAVAILABLE, () -> limited.fetchBlob(resolution, layerDescriptor, new MemorySink()));
            assertContains(e, "redirected more than 0 times");
        }
    }

    @Test
    void rangeResumeContinuesAfterTheHeldBytes() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        MemorySink sink = new MemorySink(Arrays.copyOf(layer, 100_000));
        BlobFetch fetch = client.fetchBlob(resolution, layerDescriptor, sink);
        assertEquals(100_000, fetch.resumedFrom());
        assertArrayEquals(layer, sink.bytes());
        assertEquals(0, sink.discards);
        assertEquals("bytes=100000-", registry.requests("GET", "/blobs/").getFirst().header("Range"));
    }

    @Test
    void registryIgnoringRangeSendsAllAndTheHeldBytesAreDropped() throws IOException {
        registry.ignoreRange = true;
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        MemorySink sink = new MemorySink(Arrays.copyOf(layer, 100_000));
        BlobFetch fetch = client.fetchBlob(resolution, layerDescriptor, sink);
        assertEquals(0, fetch.resumedFrom());
        assertEquals(1, sink.discards);
        assertArrayEquals(layer, sink.bytes());
    }

    @Test
    void completeHeldBlobIsVerifiedWithoutARequest() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        MemorySink sink = new MemorySink(layer);
        client.fetchBlob(resolution, layerDescriptor, sink);
        assertTrue(registry.requests("GET", "/blobs/").isEmpty());
        assertArrayEquals(layer, sink.bytes());
    }

    @Test
    void corruptBlobFailsNamingBothDigestsAndIsNeverHandedOverWhole() throws IOException {
        byte[] corrupt = layer.clone();
        corrupt[corrupt.length - 1] ^= 1;
        registry.putCorruptBlob(layerDescriptor.digest(), corrupt);
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);

        MemorySink sink = new MemorySink();
        HawserException e = assertFails(ErrorCode.FAILED_PRECONDITION, () -> client.fetchBlob(resolution, layerDescriptor, sink));
        assertContains(e, "expected " + layerDescriptor.digest(), "got " + Digest.sha256(corrupt));
        assertTrue(sink.held() < layer.length, "the last chunk of a blob that does not verify is withheld");

        try (InputStream in = client.openBlob(resolution, layerDescriptor)) {
            assertFails(ErrorCode.FAILED_PRECONDITION, in::readAllBytes);
        }
    }

    @Test
    void blobLongerThanItsDescriptorIsRefused() throws IOException {
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        Descriptor shorter = new Descriptor(layerDescriptor.mediaType(), layerDescriptor.digest(), 1000);
        HawserException e = assertFails(ErrorCode.FAILED_PRECONDITION, () -> client.fetchBlob(resolution, shorter, new MemorySink()));
        assertContains(e, "longer than the 1000 bytes");
    }

    @Test
    void manifestOverFourMebibytesIsRefused() throws IOException {
        registry.claimedManifestLength = RegistryClient.MAX_MANIFEST_SIZE + 1;
        HawserException e = assertFails(ErrorCode.INVALID_ARGUMENT, () -> client.resolve(reference(registry, "1.0"), null));
        assertContains(e, "4194305 bytes", "4 MiB");

        registry.claimedManifestLength = -1;
        registry.answerHead = false;
        byte[] huge = new byte[(int) RegistryClient.MAX_MANIFEST_SIZE + 10];
        Arrays.fill(huge, (byte) ' ');
        registry.putManifest(REPOSITORY, "huge", MediaTypes.OCI_MANIFEST, huge);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> client.resolve(reference(registry, "huge"), null));

        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        Descriptor big = new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, RegistryClient.MAX_MANIFEST_SIZE + 1);
        assertFails(ErrorCode.INVALID_ARGUMENT, () -> client.fetchManifest(resolution, big));
    }

    @Test
    void unknownMediaTypeIsReported() throws IOException {
        String schema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
        registry.putManifest(REPOSITORY, "old", schema1, "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8));
        HawserException e = assertFails(ErrorCode.INVALID_ARGUMENT, () -> client.resolve(reference(registry, "old"), null));
        assertContains(e, schema1);
    }

    @Test
    void genericContentTypeIsReadFromTheManifest() throws IOException {
        registry.answerHead = false;
        registry.putManifest(REPOSITORY, "json", "application/json", manifest);
        assertEquals(MediaTypes.OCI_MANIFEST, client.resolve(reference(registry, "json"), null).root().mediaType());
    }

    @Test
    void mirrorsAreTriedInOrderWithTheirHeadersThenTheServer() throws IOException {
        try (FakeRegistry empty = new FakeRegistry(); FakeRegistry mirror = new FakeRegistry(); FakeRegistry pullOnly = new FakeRegistry()) {
            mirror.putManifest(REPOSITORY, "1.0", MediaTypes.OCI_MANIFEST, manifest);
            pullOnly.putBlob(layer);
            Path hostDir = Files.createDirectories(dir.resolve("certs.d/registry.test"));
            Files.writeString(hostDir.resolve("hosts.toml"), """
                    server = "%s"

                    [host."%s"]
                      capabilities = ["pull", "resolve"]

                    [host."%s"]
                      capabilities = ["pull", "resolve"]
                      header = { X-Mirror = "second", X-Multi = ["a", "b"] }

                    [host."%s"]
                      capabilities = ["pull"]
                    """.formatted(registry.url(), empty.url(), mirror.url(), pullOnly.url()));
            try (RegistryClient mirrored = newClient(new HostsConfig(dir, Set.of()), List.of())) {
                Resolution resolution = mirrored.resolve(Reference.parse("registry.test/" + REPOSITORY + ":1.0"), null);
                assertEquals(mirror.url() + "/v2", resolution.host().root().toString());
                assertEquals(1, resolution.tried().size());
                assertTrue(resolution.tried().getFirst().startsWith(empty.url().toString()), resolution.tried().toString());
                FakeRegistry.Request head = mirror.requests("HEAD", "/manifests/").getFirst();
                assertEquals("second", head.header("X-Mirror"));
                assertEquals(List.of("a", "b"), head.headers().get("X-Multi"));
                assertTrue(pullOnly.requests("HEAD", "/manifests/").isEmpty(), "a pull-only mirror does not resolve tags");
                assertTrue(registry.requests.isEmpty(), "the server is asked last");

                MemorySink sink = new MemorySink();
                BlobFetch fetch = mirrored.fetchBlob(resolution, layerDescriptor, sink);
                assertEquals(pullOnly.url() + "/v2", fetch.host().root().toString(), "the blob is missing at the mirror that resolved");
                assertArrayEquals(layer, sink.bytes());
            }
        }
    }

    @Test
    void failureAtEveryHostNamesEachHostTried() throws IOException {
        try (FakeRegistry empty = new FakeRegistry()) {
            Path hostDir = Files.createDirectories(dir.resolve("certs.d/registry.test"));
            Files.writeString(hostDir.resolve("hosts.toml"), """
                    server = "%s"
                    [host."%s"]
                    """.formatted(registry.url(), empty.url()));
            try (RegistryClient mirrored = newClient(new HostsConfig(dir, Set.of()), List.of())) {
                HawserException e = assertFails(ErrorCode.NOT_FOUND,
                        () -> mirrored.resolve(Reference.parse("registry.test/" + REPOSITORY + ":9"), null));
                assertContains(e, empty.url().toString(), registry.url().toString());
            }
        }
    }

    @Test
    void plainHttpRedirectToANonLoopbackHostIsRefused() throws IOException {
        // a documentation address: refused before any connection is tried
        registry.storage = URI.create("http://198.51.100.7");
        Resolution resolution = client.resolve(reference(registry, "1.0"), null);
        HawserException e = assertFails(ErrorCode.FAILED_PRECONDITION, () -> client.fetchBlob(resolution, layerDescriptor, new MemorySink()));
        assertContains(e, "refusing plain HTTP to 198.51.100.7");
    }

    private RegistryClient newClient(HostsConfig hosts, List<Path> credentialFiles) {
        return new RegistryClient(hosts, new DockerCredentials(credentialFiles), RegistryClient.Settings.defaults());
    }

    private static Reference reference(FakeRegistry registry, String tag) throws HawserException {
        return Reference.parse(registry.authority() + "/" + REPOSITORY + ":" + tag);
    }

    private static HawserException assertFails(ErrorCode code, Executable action) {
        HawserException e = assertThrows(HawserException.class, action);
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    private static void assertContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
