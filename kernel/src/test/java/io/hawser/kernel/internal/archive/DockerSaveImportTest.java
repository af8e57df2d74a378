package io.hawser.kernel.internal.archive;

import static io.hawser.kernel.internal.archive.ImageFixtures.Layer;
import static io.hawser.kernel.internal.archive.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImportOptions;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.kernel.internal.images.ImageClosure;
import org.junit.jupiter.api.Test;

/** Archives laid out the way docker before version 25 saves them: no OCI layout, manifest.json last. */
class DockerSaveImportTest {

    private final MemoryContentStore content = new MemoryContentStore();
    private final MemoryImageStore images = new MemoryImageStore();

    private List<Image> importArchive(Map<String, byte[]> files, String baseName) throws IOException {
        return new ArchiveImporter(content, images).importArchive(new ByteArrayInputStream(ImageFixtures.tar(files)),
                ImportOptions.defaults(), baseName);
    }

    @Test
    void classicDockerSaveWithGzipAndPlainLayers() throws IOException {
        Layer plain = Layer.of("etc/hostname", "plain layer", false);
        Layer gzip = Layer.of("bin/tool", "gzip layer", true);
        Platform arm = new Platform("linux", "arm", "v7");
        byte[] config = ImageFixtures.config(arm, List.of(plain, gzip));
        String configHex = Digest.sha256(config).hex();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("1111/VERSION", utf8("1.0"));
        files.put("1111/json", utf8("{\"id\":\"1111\"}"));
        files.put("1111/layer.tar", plain.stored());
        files.put("2222/VERSION", utf8("1.0"));
        files.put("2222/layer.tar", gzip.stored());
        files.put(configHex + ".json", config);
        files.put("manifest.json", utf8("[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"busybox:latest\",\"registry.local/busybox:1.36\"],"
                + "\"Layers\":[\"1111/layer.tar\",\"./2222/layer.tar\"]}]"));
        files.put("repositories", utf8("{\"busybox\":{\"latest\":\"2222\"}}"));

        List<Image> imported = importArchive(files, "");

        assertEquals(List.of("busybox:latest", "registry.local/busybox:1.36"), imported.stream().map(Image::name).toList());
        Descriptor target = imported.getFirst().target();
        assertEquals(target, imported.get(1).target());
        assertEquals(MediaTypes.DOCKER_MANIFEST, target.mediaType());
        assertEquals(arm, target.platform());
        ImageClosure.ManifestContent manifest = ImageClosure.manifest(content, target, "busybox");
        assertEquals(new Descriptor(MediaTypes.DOCKER_CONFIG, Digest.sha256(config), config.length), manifest.config());
        assertEquals(List.of(new Descriptor(MediaTypes.DOCKER_LAYER, Digest.sha256(plain.stored()), plain.stored().length),
                new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, Digest.sha256(gzip.stored()), gzip.stored().length)), manifest.layers());
        assertArrayEquals(config, content.bytes(manifest.config().digest()), "the config is kept byte for byte");
    }

    @Test
    void untaggedImageIsNamedByTheBaseNameAndManifestDigest() throws IOException {
        Layer layer = Layer.of("a", "a", false);
        byte[] config = ImageFixtures.config(Platform.LINUX_AMD64, List.of(layer));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", utf8("[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"l/layer.tar\"]}]"));
        files.put("c.json", config);
        files.put("l/layer.tar", layer.stored());

        Image image = importArchive(files, "registry.local/untagged").getFirst();

        assertEquals("registry.local/untagged@" + image.target().digest(), image.name());
    }

    @Test
    void baseNameIsNormalizedLikeAReferenceAndMustNotCarryATag() throws IOException {
        Layer layer = Layer.of("a", "a", false);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", utf8("[{\"Config\":\"c.json\",\"RepoTags\":null,\"Layers\":[\"l/layer.tar\"]}]"));
        files.put("c.json", ImageFixtures.config(Platform.LINUX_AMD64, List.of(layer)));
        files.put("l/layer.tar", layer.stored());

        Image image = importArchive(files, "busybox").getFirst();
        assertEquals("docker.io/library/busybox@" + image.target().digest(), image.name());

        HawserException tagged = assertThrows(HawserException.class, () -> importArchive(files, "busybox:1.36"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, tagged.code());
        assertTrue(tagged.getMessage().contains("busybox:1.36"), tagged.getMessage());
    }

    @Test
    void layerLargerThanTheMemoryThresholdGoesThroughTheStore() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >> 12));
        }
        Layer layer = new Layer(ImageFixtures.tar(Map.of("big.bin", big)), true);
        byte[] config = ImageFixtures.config(Platform.LINUX_AMD64, List.of(layer));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("big/layer.tar", layer.stored());
        files.put("c.json", config);
        files.put("manifest.json", utf8("[{\"Config\":\"c.json\",\"RepoTags\":[\"big:1\"],\"Layers\":[\"big/layer.tar\"]}]"));

        Image image = importArchive(files, "").getFirst();

        Descriptor stored = ImageClosure.manifest(content, image.target(), "big").layers().getFirst();
        assertEquals(MediaTypes.DOCKER_LAYER_GZIP, stored.mediaType());
        assertArrayEquals(layer.stored(), content.bytes(stored.digest()));
        assertTrue(content.statuses().isEmpty());
    }
}
