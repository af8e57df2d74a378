package io.hawser.kernel.internal.archive;

import io.hawser.kernel.internal.images.ImageClosure;
import io.hawser.kernel.internal.images.ImageJson;
import static io.hawser.kernel.internal.archive.ImageFixtures.Layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.ArchiveFormat;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImportOptions;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import org.junit.jupiter.api.Test;

class ArchiveRoundTripTest {

    private static final Platform AMD64 = Platform.LINUX_AMD64;
    private static final Platform ARM64 = new Platform("linux", "arm64", "");

    private final MemoryContentStore sourceContent = new MemoryContentStore();
    private final MemoryImageStore sourceImages = new MemoryImageStore();
    private final MemoryContentStore targetContent = new MemoryContentStore();
    private final MemoryImageStore targetImages = new MemoryImageStore();

    private Descriptor singleImage(String name) throws IOException {
        Descriptor manifest = ImageFixtures.manifest(sourceContent, AMD64, List.of(
                Layer.of("etc/os-release", "hawser base", true), Layer.of("bin/app", "app v1", false)));
        record(name, manifest);
        return manifest;
    }

    private Descriptor multiPlatformImage(String name) throws IOException {
        Descriptor amd64 = ImageFixtures.manifest(sourceContent, AMD64, List.of(Layer.of("arch", "amd64", true)));
        Descriptor arm64 = ImageFixtures.manifest(sourceContent, ARM64, List.of(Layer.of("arch", "arm64", true)));
        Descriptor index = ImageFixtures.index(sourceContent, List.of(amd64, arm64));
        record(name, index);
        return index;
    }

    private void record(String name, Descriptor target) throws IOException {
        sourceImages.create(new Image(name, target, Map.of(), Instant.EPOCH, Instant.EPOCH));
    }

    private byte[] export(List<String> names, ArchiveFormat format, Platform platform) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArchiveExporter(sourceContent, sourceImages).exportArchive(names, out, new ExportOptions(format, platform));
        return out.toByteArray();
    }

    private List<Image> importInto(byte[] archive) throws IOException {
        return new ArchiveImporter(targetContent, targetImages).importArchive(new ByteArrayInputStream(archive), ImportOptions.defaults());
    }

    /** Every blob of the image in the source store arrived byte for byte. */
    private void assertSameContent(Descriptor target, String name) throws IOException {
        for (Descriptor blob : ImageClosure.of(targetContent, target, name).blobs()) {
            assertArrayEquals(sourceContent.bytes(blob.digest()), targetContent.bytes(blob.digest()), blob.digest().toString());
        }
    }

    @Test
    void ociLayoutRoundTripKeepsNamesAndDigests() throws IOException {
        Descriptor app = singleImage("registry.local/app:1.0");
        record("registry.local/app:latest", app);

        List<Image> imported = importInto(export(List.of("registry.local/app:1.0", "registry.local/app:latest"), ArchiveFormat.OCI_LAYOUT, null));

        assertEquals(List.of("registry.local/app:1.0", "registry.local/app:latest"), imported.stream().map(Image::name).toList());
        for (Image image : imported) {
            assertEquals(app.digest(), image.target().digest());
            assertEquals(app.mediaType(), image.target().mediaType());
            assertEquals(app.size(), image.target().size());
        }
        assertSameContent(app, "app");
        assertTrue(targetContent.statuses().isEmpty(), "no ingest left behind");
    }

    @Test
    void ociLayoutNamesImagesByTagAndFullName() throws IOException {
        singleImage("registry.local/app:1.0");
        Map<String, byte[]> files = ImageFixtures.untar(export(List.of("registry.local/app:1.0"), ArchiveFormat.OCI_LAYOUT, null));

        JsonNode entry = ImageJson.parse(files.get("index.json"), "index.json").get("manifests").get(0);
        assertEquals("registry.local/app:1.0", entry.get("annotations").get(ImageNames.CONTAINERD_IMAGE_NAME).asText());
        assertEquals("1.0", entry.get("annotations").get(ImageNames.OCI_REF_NAME).asText());
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(files.get("oci-layout")));
    }

    @Test
    void exportIsReproducibleAndSorted() throws IOException {
        singleImage("registry.local/b:1");
        multiPlatformImage("registry.local/a:1");
        List<String> names = List.of("registry.local/b:1", "registry.local/a:1");

        byte[] first = export(names, ArchiveFormat.DOCKER_ARCHIVE, null);
        byte[] second = export(List.of("registry.local/a:1", "registry.local/b:1"), ArchiveFormat.DOCKER_ARCHIVE, null);

        assertArrayEquals(first, second);
        List<String> entries = List.copyOf(ImageFixtures.untar(first).keySet());
        assertEquals(entries.stream().sorted().toList(), entries);
    }

    @Test
    void dockerArchiveRoundTripKeepsNamesAndDigests() throws IOException {
        Descriptor app = singleImage("registry.local/app:1.0");

        byte[] archive = export(List.of("registry.local/app:1.0"), ArchiveFormat.DOCKER_ARCHIVE, null);
        List<Image> imported = importInto(archive);

        assertEquals(1, imported.size());
        assertEquals("registry.local/app:1.0", imported.getFirst().name());
        assertEquals(app.digest(), imported.getFirst().target().digest());
        assertSameContent(app, "app");
    }

    @Test
    void dockerArchiveManifestJsonPointsAtTheLayoutBlobs() throws IOException {
        Descriptor app = singleImage("registry.local/app:1.0");
        Map<String, byte[]> files = ImageFixtures.untar(export(List.of("registry.local/app:1.0"), ArchiveFormat.DOCKER_ARCHIVE, null));

        JsonNode item = ImageJson.parse(files.get("manifest.json"), "manifest.json").get(0);
        ImageClosure.ManifestContent manifest = ImageClosure.manifest(sourceContent, app, "app");
        assertEquals(LayoutPaths.blobPath(manifest.config().digest()), item.get("Config").asText());
        assertEquals("registry.local/app:1.0", item.get("RepoTags").get(0).asText());
        assertEquals(2, item.get("Layers").size());
        for (JsonNode layer : item.get("Layers")) {
            assertTrue(files.containsKey(layer.asText()), layer.asText());
        }
    }

    @Test
    void dockerArchiveReadWithoutItsLayoutFilesGetsTheSameConfigAndLayers() throws IOException {
        Descriptor app = singleImage("registry.local/app:1.0");
        Map<String, byte[]> files = new LinkedHashMap<>(ImageFixtures.untar(export(List.of("registry.local/app:1.0"), ArchiveFormat.DOCKER_ARCHIVE, null)));
        files.remove("index.json");
        files.remove("oci-layout");

        Image imported = importInto(ImageFixtures.tar(files)).getFirst();

        // a docker-only reader synthesizes a Docker manifest around the same config and layers
        assertEquals(MediaTypes.DOCKER_MANIFEST, imported.target().mediaType());
        assertEquals(AMD64, imported.target().platform());
        ImageClosure.ManifestContent original = ImageClosure.manifest(sourceContent, app, "app");
        ImageClosure.ManifestContent synthesized = ImageClosure.manifest(targetContent, imported.target(), "app");
        assertEquals(original.config().digest(), synthesized.config().digest());
        assertEquals(original.layers().stream().map(Descriptor::digest).toList(), synthesized.layers().stream().map(Descriptor::digest).toList());
        assertEquals(List.of(MediaTypes.DOCKER_LAYER_GZIP, MediaTypes.DOCKER_LAYER), synthesized.layers().stream().map(Descriptor::mediaType).toList());
    }

    @Test
    void multiPlatformIndexExportedWhole() throws IOException {
        Descriptor index = multiPlatformImage("registry.local/multi:1");

        Image imported = importInto(export(List.of("registry.local/multi:1"), ArchiveFormat.OCI_LAYOUT, null)).getFirst();

        assertEquals(index.digest(), imported.target().digest());
        ImageClosure closure = ImageClosure.of(targetContent, imported.target(), "multi");
        assertEquals(List.of(AMD64, ARM64), closure.manifests().stream().map(Descriptor::platform).toList());
        assertSameContent(index, "multi");
    }

    @Test
    void multiPlatformIndexExportedForOnePlatform() throws IOException {
        multiPlatformImage("registry.local/multi:1");
        Descriptor arm64 = ImageClosure.of(sourceContent, sourceImages.get("registry.local/multi:1").orElseThrow().target(), "multi")
                .manifests().get(1);

        byte[] archive = export(List.of("registry.local/multi:1"), ArchiveFormat.OCI_LAYOUT, ARM64);
        Image imported = importInto(archive).getFirst();

        assertEquals(arm64.digest(), imported.target().digest());
        assertEquals(ARM64, imported.target().platform());
        Digest amd64Layer = ImageClosure.manifest(sourceContent, ImageClosure.of(sourceContent,
                sourceImages.get("registry.local/multi:1").orElseThrow().target(), "multi").manifests().getFirst(), "multi").layers().getFirst().digest();
        assertFalse(ImageFixtures.untar(archive).containsKey(LayoutPaths.blobPath(amd64Layer)), "the other platform stays out");
    }

    @Test
    void dockerArchiveOfAnIndexHoldsTheRequestedPlatform() throws IOException {
        multiPlatformImage("registry.local/multi:1");

        Image imported = importInto(export(List.of("registry.local/multi:1"), ArchiveFormat.DOCKER_ARCHIVE, ARM64)).getFirst();

        assertEquals(ARM64, imported.target().platform());
        assertTrue(MediaTypes.isManifest(imported.target().mediaType()));
    }

    @Test
    void indexWithAMissingPlatformExportsThePlatformsPresent() throws IOException {
        Descriptor amd64 = ImageFixtures.manifest(sourceContent, AMD64, List.of(Layer.of("arch", "amd64", false)));
        Descriptor absent = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(ImageFixtures.utf8("never pulled")), 12,
                Map.of(), List.of(), ARM64);
        record("registry.local/partial:1", ImageFixtures.index(sourceContent, List.of(amd64, absent)));

        Image imported = importInto(export(List.of("registry.local/partial:1"), ArchiveFormat.OCI_LAYOUT, null)).getFirst();

        assertEquals(List.of(amd64.digest()), ImageClosure.of(targetContent, imported.target(), "partial").manifests().stream()
                .map(Descriptor::digest).toList());
        HawserException noArm = assertThrows(HawserException.class,
                () -> export(List.of("registry.local/partial:1"), ArchiveFormat.OCI_LAYOUT, ARM64));
        assertEquals(ErrorCode.NOT_FOUND, noArm.code());
        assertTrue(noArm.getMessage().contains("linux/arm64"), noArm.getMessage());
    }

    @Test
    void exportOfAnUnknownImageOrMissingBlobIsNotFound() throws IOException {
        HawserException unknown = assertThrows(HawserException.class,
                () -> export(List.of("registry.local/nope:1"), ArchiveFormat.OCI_LAYOUT, null));
        assertEquals(ErrorCode.NOT_FOUND, unknown.code());
        assertTrue(unknown.getMessage().contains("registry.local/nope:1"), unknown.getMessage());

        Descriptor app = singleImage("registry.local/app:1.0");
        Digest layer = ImageClosure.manifest(sourceContent, app, "app").layers().getFirst().digest();
        sourceContent.delete(layer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HawserException missing = assertThrows(HawserException.class, () -> new ArchiveExporter(sourceContent, sourceImages)
                .exportArchive(List.of("registry.local/app:1.0"), out, new ExportOptions(ArchiveFormat.OCI_LAYOUT, null)));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains(layer.toString()), missing.getMessage());
        assertEquals(0, out.size(), "nothing written before the refusal");
    }

    @Test
    void reimportReplacesTheRecordAndKeepsItsLabels() throws IOException {
        singleImage("registry.local/app:1.0");
        byte[] archive = export(List.of("registry.local/app:1.0"), ArchiveFormat.OCI_LAYOUT, null);
        importInto(archive);
        Image pinned = targetImages.get("registry.local/app:1.0").orElseThrow();
        targetImages.update(new Image(pinned.name(), pinned.target(), Map.of("io.cri-containerd.pinned", "pinned"), pinned.created(), pinned.updated()));

        Image again = importInto(archive).getFirst();

        assertEquals(Map.of("io.cri-containerd.pinned", "pinned"), again.labels());
        assertEquals(1, targetImages.list(i -> true).size());
    }
}
