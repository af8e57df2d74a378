package io.hawser.itest.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anonymous {@link LocalRegistry} serves back exactly what {@link ImageBuilder} made and the client pushed. */
class LocalRegistryTest {

    private static LocalRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.anonymous();
    }

    @AfterAll
    static void closeRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void servesAPushedOciImageByteForByte() throws Exception {
        TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "hello").randomLayer(300_000, 1).build();
        registry.client().push("test/oci", "latest", image);

        assertServed(image, "test/oci", "latest");
        assertEquals(3, image.layers().size());
    }

    @Test
    void servesADockerSchema2ImageWithItsMediaTypes() throws Exception {
        TestImage image = ImageBuilder.dockerSchema2().fileLayer("/etc/hawser-test", "docker").build();
        registry.client().push("test/docker", "v1", image);

        assertServed(image, "test/docker", "v1");
        JsonNode manifest = ImageBuilder.JSON.readTree(image.manifest().bytes());
        assertEquals("application/vnd.docker.container.image.v1+json", manifest.path("config").path("mediaType").asText());
        assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", manifest.path("layers").path(0).path("mediaType").asText());
    }

    @Test
    void servesAnIndexOfTwoPlatformsOnSharedLayers() throws Exception {
        TestIndex index = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "multi").buildIndex("linux/amd64", "linux/arm64/v8");
        registry.client().push("test/multi", "latest", index);

        HttpResponse<byte[]> served = registry.client().get("/v2/test/multi/manifests/latest", index.index().mediaType());
        assertEquals(200, served.statusCode());
        assertArrayEquals(index.index().bytes(), served.body());
        JsonNode entries = ImageBuilder.JSON.readTree(served.body()).path("manifests");
        assertEquals("amd64", entries.path(0).path("platform").path("architecture").asText());
        assertEquals("v8", entries.path(1).path("platform").path("variant").asText());
        for (TestImage image : index.images()) {
            assertServed(image, "test/multi", image.manifest().digest());
        }
        TestImage amd64 = index.image("linux/amd64");
        TestImage arm64 = index.image("linux/arm64");
        assertEquals(amd64.layers(), arm64.layers());
        assertNotEquals(amd64.config().digest(), arm64.config().digest());
        assertEquals("arm64", ImageBuilder.JSON.readTree(arm64.config().bytes()).path("architecture").asText());
    }

    @Test
    void layersAreTarsThatGnuTarUnpacks(@TempDir Path rootfs) throws Exception {
        TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "unpacked").build();
        for (TestImage.Layer layer : image.layers()) {
            Path archive = Files.createTempFile("hawser-layer-", ".tar.gz");
            try {
                Files.write(archive, layer.blob().bytes());
                Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", rootfs.toString()).inheritIO().start();
                assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar finishes");
                assertEquals(0, tar.exitValue(), "tar exit status");
            } finally {
                Files.delete(archive);
            }
        }
        assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(rootfs.resolve("bin/sh")));
        assertEquals("unpacked", Files.readString(rootfs.resolve("etc/hawser-test")));
        Process echo = new ProcessBuilder(rootfs.resolve("bin/echo").toString(), "from the layer").start();
        assertTrue(echo.waitFor(10, TimeUnit.SECONDS));
        assertEquals("from the layer\n", new String(echo.getInputStream().readAllBytes()));
    }

    @Test
    void diffIdsAreDigestsOfTheUncompressedLayers() throws Exception {
        TestImage image = ImageBuilder.oci().randomLayer(10_000, 2).fileLayer("/a/b/c", "deep").build();
        JsonNode diffIds = ImageBuilder.JSON.readTree(image.config().bytes()).path("rootfs").path("diff_ids");
        for (int i = 0; i < image.layers().size(); i++) {
            TestImage.Layer layer = image.layers().get(i);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(layer.blob().bytes()))) {
                assertEquals(Blob.sha256(in.readAllBytes()), layer.diffId());
            }
            assertEquals(layer.diffId(), diffIds.path(i).asText());
        }
        TestImage plain = ImageBuilder.oci().gzip(false).randomLayer(10_000, 2).build();
        assertEquals(image.layers().getFirst().diffId(), plain.layers().getFirst().blob().digest());
        assertEquals("application/vnd.oci.image.layer.v1.tar", plain.layers().getFirst().blob().mediaType());
    }

    @Test
    void randomLayersAreSeededAndIncompressible() {
        TestImage.Layer first = ImageBuilder.oci().randomLayer(1_000_000, 7).build().layers().getFirst();
        TestImage.Layer again = ImageBuilder.oci().randomLayer(1_000_000, 7).build().layers().getFirst();
        TestImage.Layer other = ImageBuilder.oci().randomLayer(1_000_000, 8).build().layers().getFirst();
        assertEquals(first.blob().digest(), again.blob().digest());
        assertNotEquals(first.blob().digest(), other.blob().digest());
        assertTrue(first.blob().size() > 1_000_000, "gzip cannot shrink random data: " + first.blob().size());
    }

    @Test
    void keepsItsPortAndContentAcrossStopAndStart() throws Exception {
        TestImage image = ImageBuilder.oci().randomLayer(50_000, 3).build();
        registry.client().push("test/restart", "latest", image);
        String host = registry.host();

        registry.stop();
        assertFalse(registry.isRunning());
        registry.start();

        assertEquals(host, registry.host());
        assertServed(image, "test/restart", "latest");
    }

    @Test
    void aDownloadCutByStopResumesWithARangeAfterStart() throws Exception {
        TestImage image = ImageBuilder.oci().gzip(false).randomLayer(64 << 20, 5).build();
        registry.client().push("test/resume", "latest", image);
        Blob layer = image.layers().getFirst().blob();
        URI blobUri = registry.baseUri().resolve("/v2/test/resume/blobs/" + layer.digest());
        HttpClient http = HttpClient.newHttpClient();
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        HttpResponse<InputStream> cut = http.send(HttpRequest.newBuilder(blobUri).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = cut.body()) {
            received.write(body.readNBytes(1 << 20));
            registry.stop();
            // what the socket buffers still held arrives, then the connection ends
            body.transferTo(received);
        } catch (IOException endedEarly) {
            // the expected way for the rest of the body to fail
        }
        assertTrue(received.size() < layer.size(), "stopping the registry cut the download at " + received.size());

        registry.start();
        HttpResponse<byte[]> rest = http.send(HttpRequest.newBuilder(blobUri).header("Range", "bytes=" + received.size() + "-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, rest.statusCode());
        received.write(rest.body());
        assertEquals(layer.digest(), Blob.sha256(received.toByteArray()));
    }

    @Test
    void servesTheSabotagedBytesOfACorruptedBlob() throws Exception {
        TestImage image = ImageBuilder.oci().randomLayer(20_000, 4).build();
        registry.client().push("test/corrupt", "latest", image);
        Blob layer = image.layers().getFirst().blob();
        assertTrue(Files.isRegularFile(registry.storage().blobData(layer.digest())));

        registry.storage().corruptBlob(layer.digest());

        HttpResponse<byte[]> served = registry.client().get("/v2/test/corrupt/blobs/" + layer.digest());
        assertEquals(200, served.statusCode());
        assertEquals(layer.size(), served.body().length);
        assertNotEquals(layer.digest(), Blob.sha256(served.body()));
    }

    /** The manifest under {@code reference} and every blob it names come back with their digests. */
    private static void assertServed(TestImage image, String repository, String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> manifest = registry.client().get("/v2/" + repository + "/manifests/" + reference, image.manifest().mediaType());
        assertEquals(200, manifest.statusCode());
        assertArrayEquals(image.manifest().bytes(), manifest.body());
        assertEquals(List.of(image.manifest().mediaType()), manifest.headers().allValues("Content-Type"));
        assertEquals(image.manifest().digest(), manifest.headers().firstValue("Docker-Content-Digest").orElseThrow());
        for (Blob blob : image.blobs()) {
            HttpResponse<byte[]> served = registry.client().get("/v2/" + repository + "/blobs/" + blob.digest());
            assertEquals(200, served.statusCode(), blob.toString());
            assertEquals(blob.digest(), Blob.sha256(served.body()));
        }
    }
}
