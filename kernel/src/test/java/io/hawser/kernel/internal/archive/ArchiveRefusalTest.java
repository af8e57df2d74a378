package io.hawser.kernel.internal.archive;

import static io.hawser.kernel.internal.archive.ImageFixtures.Layer;
import static io.hawser.kernel.internal.archive.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.ArchiveFormat;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImportOptions;
import io.hawser.images.Platform;
import io.hawser.kernel.internal.tar.TarFormat;
import io.hawser.kernel.internal.tar.TarWriter;
import org.junit.jupiter.api.Test;

/** Every malformed or hostile archive is refused naming the culprit, and no image is recorded. */
class ArchiveRefusalTest {

    private final MemoryContentStore content = new MemoryContentStore();
    private final MemoryImageStore images = new MemoryImageStore();

    /** A valid OCI layout archive of one image, as files to tamper with. */
    private static Map<String, byte[]> validLayout() throws IOException {
        MemoryContentStore source = new MemoryContentStore();
        MemoryImageStore sourceImages = new MemoryImageStore();
        Descriptor manifest = ImageFixtures.manifest(source, Platform.LINUX_AMD64, List.of(Layer.of("f", "data", true)));
        sourceImages.create(new Image("registry.local/app:1", manifest, Map.of(), Instant.EPOCH, Instant.EPOCH));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ArchiveExporter(source, sourceImages).exportArchive(List.of("registry.local/app:1"), out,
                new ExportOptions(ArchiveFormat.DOCKER_ARCHIVE, null));
        return new LinkedHashMap<>(ImageFixtures.untar(out.toByteArray()));
    }

    private HawserException refused(byte[] archive, ErrorCode code, String culprit) {
        HawserException e = assertThrows(HawserException.class, () -> new ArchiveImporter(content, images)
                .importArchive(new ByteArrayInputStream(archive), ImportOptions.defaults()));
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(culprit), "message names " + culprit + ": " + e.getMessage());
        assertTrue(images.list(i -> true).isEmpty(), "no image recorded");
        assertTrue(content.statuses().isEmpty(), "no ingest left behind");
        return e;
    }

    private HawserException refused(Map<String, byte[]> files, ErrorCode code, String culprit) {
        return refused(ImageFixtures.tar(files), code, culprit);
    }

    /** A valid layout with one extra entry of a given tar type written first. */
    private static byte[] withEntry(String name, byte type, String link) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        tar.entry(name, type, link, 0);
        for (Map.Entry<String, byte[]> file : validLayout().entrySet()) {
            tar.file(file.getKey(), file.getValue());
        }
        tar.finish();
        return out.toByteArray();
    }

    @Test
    void theValidLayoutImports() throws IOException {
        new ArchiveImporter(content, images).importArchive(new ByteArrayInputStream(ImageFixtures.tar(validLayout())), ImportOptions.defaults());
        assertEquals(1, images.list(i -> true).size());
    }

    @Test
    void blobWhoseBytesDoNotMatchItsName() throws IOException {
        Map<String, byte[]> files = validLayout();
        String blob = files.keySet().stream().filter(p -> p.startsWith("blobs/")).findFirst().orElseThrow();
        byte[] bytes = files.get(blob).clone();
        bytes[0] ^= 1;
        files.put(blob, bytes);
        refused(files, ErrorCode.FAILED_PRECONDITION, blob);
    }

    @Test
    void entryWithDotDot() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.put("blobs/../../etc/passwd", utf8("root"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "blobs/../../etc/passwd");
    }

    @Test
    void entryWithAbsolutePath() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.put("/etc/cron.d/evil", utf8("* * * * * root sh"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "/etc/cron.d/evil");
    }

    @Test
    void symbolicLink() throws IOException {
        refused(withEntry("blobs/sha256/link", TarFormat.TYPE_SYMLINK, "/etc/shadow"), ErrorCode.INVALID_ARGUMENT, "blobs/sha256/link");
    }

    @Test
    void hardLink() throws IOException {
        refused(withEntry("index2.json", TarFormat.TYPE_HARD_LINK, "index.json"), ErrorCode.INVALID_ARGUMENT, "index2.json");
    }

    @Test
    void deviceNode() throws IOException {
        refused(withEntry("dev/null", (byte) '3', ""), ErrorCode.INVALID_ARGUMENT, "dev/null");
    }

    @Test
    void indexJsonThatIsNotJson() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.put("index.json", utf8("{\"manifests\": ["));
        refused(files, ErrorCode.INVALID_ARGUMENT, "index.json");
    }

    @Test
    void indexJsonWithAMalformedDescriptor() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.put("index.json", utf8("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"sha256:NOTHEX\",\"size\":1}]}"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "index.json: manifests[0].digest");
    }

    @Test
    void indexNamingABlobTheArchiveLacks() throws IOException {
        Map<String, byte[]> files = validLayout();
        String layer = files.keySet().stream().filter(p -> p.startsWith("blobs/") && files.get(p)[0] == 0x1f).findFirst().orElseThrow();
        files.remove(layer);
        refused(files, ErrorCode.INVALID_ARGUMENT, layer.substring("blobs/sha256/".length()));
    }

    @Test
    void unknownLayoutVersion() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.put("oci-layout", utf8("{\"imageLayoutVersion\":\"9.9\"}"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "oci-layout");
    }

    @Test
    void indexWithoutLayoutFile() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.remove("oci-layout");
        refused(files, ErrorCode.INVALID_ARGUMENT, "oci-layout");
    }

    @Test
    void manifestJsonThatIsNotAList() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.remove("index.json");
        files.put("manifest.json", utf8("{\"Config\":\"x\"}"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "manifest.json");
    }

    @Test
    void manifestJsonNamingALayerTheArchiveLacks() throws IOException {
        Map<String, byte[]> files = validLayout();
        files.remove("index.json");
        String config = files.keySet().stream().filter(p -> p.startsWith("blobs/") && files.get(p)[0] == '{'
                && new String(files.get(p)).contains("rootfs")).findFirst().orElseThrow();
        files.put("manifest.json", utf8("[{\"Config\":\"" + config + "\",\"RepoTags\":[\"a:1\"],\"Layers\":[\"gone/layer.tar\"]}]"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "gone/layer.tar");
    }

    @Test
    void configThatIsNotJson() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("c.json", utf8("not json"));
        files.put("manifest.json", utf8("[{\"Config\":\"c.json\",\"RepoTags\":[\"a:1\"],\"Layers\":[]}]"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "c.json");
    }

    @Test
    void archiveOfNoKnownFormat() {
        refused(ImageFixtures.tar(Map.of("hello.txt", utf8("hi"))), ErrorCode.INVALID_ARGUMENT, "manifest.json");
    }

    @Test
    void streamThatIsNotATar() {
        byte[] noise = new byte[4096];
        Arrays.fill(noise, (byte) 'x');
        refused(noise, ErrorCode.INVALID_ARGUMENT, "not a valid tar");
    }

    @Test
    void truncatedArchive() throws IOException {
        byte[] archive = ImageFixtures.tar(validLayout());
        String firstBlob = validLayout().keySet().iterator().next();
        refused(Arrays.copyOf(archive, 512 + 100), ErrorCode.INVALID_ARGUMENT, firstBlob);
    }

    @Test
    void layoutWhoseEntriesHaveNoName() throws IOException {
        Map<String, byte[]> files = validLayout();
        String index = new String(files.get("index.json")).replaceAll("\"annotations\":\\{[^}]*\\},?", "");
        files.put("index.json", utf8(index));
        refused(files, ErrorCode.INVALID_ARGUMENT, "names no image");
    }

    @Test
    void digestOfTheIndexEntryIsNotAnImage() throws IOException {
        Map<String, byte[]> files = validLayout();
        Digest digest = Digest.sha256(files.get("oci-layout"));
        files.put(LayoutPaths.blobPath(digest), files.get("oci-layout"));
        files.put("index.json", utf8("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/x-unknown\",\"digest\":\""
                + digest + "\",\"size\":" + files.get("oci-layout").length + ",\"annotations\":{\"io.containerd.image.name\":\"x:1\"}}]}"));
        refused(files, ErrorCode.INVALID_ARGUMENT, "application/x-unknown");
    }
}
