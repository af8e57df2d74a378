package io.hawser.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.hawser.content.Digest;
import org.junit.jupiter.api.Test;

class ImageRecordsTest {

    private static Digest digestOf(String s) {
        return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void descriptorRefusesNegativeSizeAndBlankType() {
        assertThrows(IllegalArgumentException.class, () -> new Descriptor(MediaTypes.OCI_LAYER, digestOf("x"), -1));
        assertThrows(IllegalArgumentException.class, () -> new Descriptor(" ", digestOf("x"), 1));
    }

    @Test
    void chainIdOfOneLayerIsItsDiffId() {
        Digest d = digestOf("layer");
        assertEquals(d, ResolvedImage.chainId(List.of(d)));
    }

    @Test
    void chainIdHashesParentSpaceChild() {
        Digest a = digestOf("a");
        Digest b = digestOf("b");
        Digest c = digestOf("c");
        Digest ab = Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8));
        Digest abc = Digest.sha256((ab + " " + c).getBytes(StandardCharsets.UTF_8));
        assertEquals(abc, ResolvedImage.chainId(List.of(a, b, c)));
        assertThrows(IllegalArgumentException.class, () -> ResolvedImage.chainId(List.of()));
    }

    @Test
    void resolvedImageChecksLayerCountAndSumsSize() {
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, digestOf("m"), 100);
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, digestOf("c"), 10);
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, digestOf("l"), 1000);
        Platform p = Platform.LINUX_AMD64;
        assertThrows(IllegalArgumentException.class, () -> new ResolvedImage(p, manifest, config, List.of(layer), List.of()));
        ResolvedImage image = new ResolvedImage(p, manifest, config, List.of(layer), List.of(digestOf("diff")));
        assertEquals(1110, image.size());
        assertEquals(digestOf("diff"), image.chainId());
    }

    @Test
    void authHidesSecrets() {
        var basic = new RegistryAuth.Basic("registry.local", "user", "s3cret");
        assertFalse(basic.toString().contains("s3cret"));
        assertFalse(new RegistryAuth.IdentityToken(null, "t0ken").toString().contains("t0ken"));
        assertFalse(new RegistryAuth.RegistryToken(null, "t0ken").toString().contains("t0ken"));
    }

    @Test
    void pullOptionsDefaultAndWithers() {
        PullOptions defaults = PullOptions.defaults();
        assertSame(PullProgress.NONE, defaults.progress());
        assertEquals("", defaults.snapshotter());
        PullOptions arm = defaults.withPlatform(Platform.parse("linux/arm64")).withUnpack(false, "btrfs");
        assertEquals("linux/arm64", arm.platform().toString());
        assertFalse(arm.unpack());
        assertEquals("btrfs", arm.snapshotter());
    }
}
