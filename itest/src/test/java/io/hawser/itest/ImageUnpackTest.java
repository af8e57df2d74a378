package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.Blob;
import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.LocalRegistry;
import io.hawser.itest.registry.TarBuilder;
import io.hawser.itest.registry.TestImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hawser pull} unpacking into the overlay snapshotter: one committed snapshot per layer
 * named by chain ID, shared between images, and a layer that does not match its diff ID refused
 * with nothing left behind.
 */
class ImageUnpackTest {

    private Hawserd daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        LocalRegistry.assumeInstalled();
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.close();
    }

    @Test
    void aPullUnpacksEachLayerOnceAndImagesShareTheirLowerLayers() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage first = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "first").build();
            TestImage second = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "second").build();
            registry.client().push("test/first", "latest", first);
            registry.client().push("test/second", "latest", second);

            Result pull = daemon.hawser("pull", registry.host() + "/test/first");
            assertEquals(0, pull.status(), pull.err());
            assertEquals(2, pull.out().lines().filter(l -> l.contains(" unpacked")).count(), pull.out());
            assertTrue(daemon.hawser("images").out().lines().anyMatch(l -> l.contains("/test/first") && l.endsWith("overlay")),
                    daemon.hawser("images").out());
            assertEquals(2, committedSnapshots().size(), "one snapshot per layer");
            assertTrue(unpackedFile("etc/hawser-test").contains("first"));
            assertTrue(unpackedFileExists("bin/busybox"));

            assertEquals(0, daemon.hawser("pull", registry.host() + "/test/second").status());
            assertEquals(3, committedSnapshots().size(), "the busybox layer's snapshot is shared");

            Result tree = daemon.hawser("snapshots", "tree");
            assertEquals(0, tree.status(), tree.err());
            assertEquals(3, tree.out().lines().count(), tree.out());
            Result usage = daemon.hawser("snapshots", "usage");
            assertEquals(0, usage.status(), usage.err());
            assertTrue(usage.out().lines().skip(1).allMatch(l -> Long.parseLong(l.split("\\s+")[1]) > 0), usage.out());
        }
    }

    @Test
    void aLayerWhoseContentDoesNotMatchItsDiffIdIsRefusedAndLeavesNoSnapshotOrMount() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage honest = ImageBuilder.oci().gzip(false).busyboxLayer()
                    .tarLayer(new TarBuilder().file("etc/hawser-test", 0644, "honest".getBytes(StandardCharsets.UTF_8)).toByteArray())
                    .build();
            // the same image, but its second layer's bytes replaced: the config's diff ID no longer matches
            byte[] forged = new TarBuilder().file("etc/hawser-test", 0644, "forged".getBytes(StandardCharsets.UTF_8)).toByteArray();
            Blob forgedLayer = Blob.of(honest.layers().get(1).blob().mediaType(), forged);
            registry.client().pushBlob("test/forged", honest.config());
            registry.client().pushBlob("test/forged", honest.layers().get(0).blob());
            registry.client().pushBlob("test/forged", forgedLayer);
            String manifest = new String(honest.manifest().bytes(), StandardCharsets.UTF_8)
                    .replace(honest.layers().get(1).blob().digest(), forgedLayer.digest())
                    .replace("\"size\":" + honest.layers().get(1).blob().size(), "\"size\":" + forgedLayer.size());
            registry.client().putManifest("test/forged", "latest",
                    Blob.of(honest.manifest().mediaType(), manifest.getBytes(StandardCharsets.UTF_8)));

            Result pull = daemon.hawser("pull", registry.host() + "/test/forged");
            assertEquals(1, pull.status(), pull.out());
            assertTrue(pull.err().contains(honest.layers().get(1).diffId()), "names the expected diff ID: " + pull.err());
            assertFalse(daemon.hawser("images", "-q").out().contains("test/forged"), "no image record");
            assertEquals(1, committedSnapshots().size(), "only the busybox layer, which verified, is kept");
            assertFalse(daemon.hawser("snapshots", "ls").out().contains("active"), "no active snapshot left");
            assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(daemon.state.resolve("unpack").toString()),
                    "no mount left");
        }
    }

    private List<String> committedSnapshots() throws Exception {
        Result ls = daemon.hawser("snapshots", "ls");
        assertEquals(0, ls.status(), ls.err());
        return ls.out().lines().skip(1).filter(l -> l.endsWith("committed")).toList();
    }

    private Path overlayRoot() {
        return daemon.root.resolve("io.hawser.snapshotter.overlay/snapshots");
    }

    private boolean unpackedFileExists(String path) throws Exception {
        try (Stream<Path> layers = Files.list(overlayRoot())) {
            return layers.anyMatch(layer -> Files.exists(layer.resolve("fs").resolve(path), LinkOption.NOFOLLOW_LINKS));
        }
    }

    private String unpackedFile(String path) throws Exception {
        try (Stream<Path> layers = Files.list(overlayRoot())) {
            for (Path layer : layers.toList()) {
                Path file = layer.resolve("fs").resolve(path);
                if (Files.isRegularFile(file)) {
                    return Files.readString(file);
                }
            }
        }
        return "";
    }
}
