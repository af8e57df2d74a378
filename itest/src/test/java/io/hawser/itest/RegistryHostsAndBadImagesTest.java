package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.Blob;
import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.ImageFormat;
import io.hawser.itest.registry.LocalRegistry;
import io.hawser.itest.registry.TestImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hawser pull} through a registry hosts file, and of images whose manifest is wrong in ways
 * a registry lets through: what the error says, and that a failed pull leaves no image record and
 * only content that {@code hawser gc} frees. Also the docker archive round trip.
 */
@Timeout(180)
class RegistryHostsAndBadImagesTest {

    /** A registry name that resolves nowhere: only a hosts file can lead a pull to it. */
    private static final String CONFIGURED_REGISTRY = "registry.hawser.test";
    private static final String UNKNOWN_LAYER_TYPE = "application/vnd.hawser.test.unknown-layer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalRegistry registry;
    private Hawserd daemon;
    private Path configDirectory;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = LocalRegistry.anonymous();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (configDirectory != null) {
            try (Stream<Path> paths = Files.walk(configDirectory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    @Test
    void aHostsFileServerLeadsTheRegistryNameToAnotherHost() throws Exception {
        pullThroughHostsFile("server = \"" + registry.baseUri() + "\"\n");
    }

    @Test
    void aHostsFileMirrorServesTheRegistryNameBeforeItsServer() throws Exception {
        // the server stays the default https://registry.hawser.test, which does not exist: the mirror must answer
        pullThroughHostsFile("""
                [host."%s"]
                  capabilities = ["pull", "resolve"]
                """.formatted(registry.baseUri()));
    }

    @Test
    void aConfigThatIsNotJsonFailsThePullNamingItsDigest() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        BadImage bad = pushWithConfig("test/notjson", "this is not JSON".getBytes(StandardCharsets.UTF_8));

        Result pull = daemon.hawser("pull", bad.reference());
        assertEquals(1, pull.status(), pull.out());
        assertTrue(pull.err().contains("config " + bad.config().digest()) && pull.err().contains("JSON"), pull.err());
        assertFalse(daemon.hawser("images", "-q").out().contains(bad.reference()), "no image record after a failed pull");
    }

    @Test
    void aLayerOfAnUnknownMediaTypeFailsThePullNamingTheType() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        TestImage busybox = ImageBuilder.oci().busyboxLayer().build();
        // docker-registry 2.8 accepts a manifest whose layer has any media type, as long as the blob is there
        Blob layer = new Blob(UNKNOWN_LAYER_TYPE, busybox.layers().getFirst().blob().bytes(), busybox.layers().getFirst().blob().digest());
        registry.client().pushBlob("test/unknown", busybox.config());
        registry.client().pushBlob("test/unknown", layer);
        Blob manifest = manifest(busybox.config(), layer);
        registry.client().putManifest("test/unknown", "latest", manifest);
        String reference = registry.host() + "/test/unknown:latest";

        Result pull = daemon.hawser("pull", reference);
        assertEquals(1, pull.status(), pull.out());
        assertTrue(pull.err().contains(UNKNOWN_LAYER_TYPE) && pull.err().contains(layer.digest()), pull.err());
        assertFalse(daemon.hawser("images", "-q").out().contains(reference), "no image record after a failed pull");
    }

    @Test
    void aDockerArchiveExportedRemovedAndImportedRestoresTheSameManifest() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "round trip").build();
        registry.client().push("test/roundtrip", "latest", image);
        String reference = registry.host() + "/test/roundtrip:latest";
        assertEquals(0, daemon.hawser("pull", reference).status());
        Path archive = daemon.root.resolveSibling("roundtrip.tar");

        Result export = daemon.hawser("export", "--format", "docker", "-o", archive.toString(), reference);
        assertEquals(0, export.status(), export.err());
        Result rmi = daemon.hawser("rmi", reference);
        assertEquals(0, rmi.status(), rmi.err());
        assertFalse(daemon.hawser("images", "-q").out().contains(reference));
        assertFalse(daemon.hawser("content", "ls", "-q").out().contains(image.manifest().digest()), "rmi freed the manifest");

        Result imported = daemon.hawser("import", archive.toString());
        assertEquals(0, imported.status(), imported.err());
        assertEquals(reference + " " + image.manifest().digest(), imported.out().strip());
        assertTrue(daemon.hawser("images").out().lines()
                .anyMatch(line -> line.startsWith(reference + " ") && line.contains(image.manifest().digest())),
                daemon.hawser("images").out());
        Set<String> content = lines(daemon.hawser("content", "ls", "-q").out());
        for (Blob blob : image.blobs()) {
            assertTrue(content.contains(blob.digest()), blob + " restored");
        }
    }

    @Test
    void aFailedPullLeavesNoRecordAndGcFreesExactlyWhatItCommitted() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        BadImage bad = pushWithConfig("test/failed", "{not json either".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, daemon.hawser("pull", bad.reference()).status());

        assertFalse(daemon.hawser("images").out().contains(bad.reference()), "images lists nothing for the name");
        // the pull stopped at the config: it committed the manifest and the config, never the layer
        Set<String> committed = lines(daemon.hawser("content", "ls", "-q").out());
        assertEquals(Set.of(bad.manifest().digest(), bad.config().digest()), committed);

        Result gc = daemon.hawser("gc");
        assertEquals(0, gc.status(), gc.err());
        Set<String> removed = gc.out().lines().filter(line -> line.startsWith("removed sha256:"))
                .map(line -> line.substring("removed ".length())).collect(Collectors.toSet());
        assertEquals(committed, removed, gc.out());
        assertEquals(Set.of(), lines(daemon.hawser("content", "ls", "-q").out()), "nothing left");
    }

    /**
     * Pushes an image as {@code library/busybox}, starts the daemon with a configuration directory
     * holding {@code certs.d/registry.hawser.test/hosts.toml}, and pulls it by that name.
     */
    private void pullThroughHostsFile(String hostsToml) throws Exception {
        TestImage image = ImageBuilder.oci().busyboxLayer().build();
        registry.client().push("library/busybox", "latest", image);
        configDirectory = Files.createTempDirectory(Path.of("/tmp"), "hawser-config-");
        Path hostDirectory = Files.createDirectories(configDirectory.resolve("certs.d").resolve(CONFIGURED_REGISTRY));
        Files.writeString(hostDirectory.resolve("hosts.toml"), hostsToml);
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION, Map.of(), "--config", configDirectory.toString());
        String reference = CONFIGURED_REGISTRY + "/library/busybox:latest";

        Result pull = daemon.hawser("pull", reference);
        assertEquals(0, pull.status(), pull.err());
        assertTrue(daemon.hawser("images").out().lines()
                .anyMatch(line -> line.startsWith(reference + " ") && line.contains(image.manifest().digest())),
                daemon.hawser("images").out());
    }

    /** An image as pushed by hand: its reference, manifest and config. */
    private record BadImage(String reference, Blob manifest, Blob config) {}

    /** Pushes busybox under a manifest whose config blob holds these bytes. */
    private BadImage pushWithConfig(String repository, byte[] configBytes) throws Exception {
        Blob layer = ImageBuilder.oci().busyboxLayer().build().layers().getFirst().blob();
        Blob config = Blob.of(ImageFormat.OCI.configType, configBytes);
        registry.client().pushBlob(repository, config);
        registry.client().pushBlob(repository, layer);
        Blob manifest = manifest(config, layer);
        registry.client().putManifest(repository, "latest", manifest);
        return new BadImage(registry.host() + "/" + repository + ":latest", manifest, config);
    }

    /** An OCI image manifest naming these blobs, with their own media types. */
    private static Blob manifest(Blob config, Blob... layers) throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", ImageFormat.OCI.manifestType);
        manifest.put("config", config.descriptor());
        manifest.put("layers", Arrays.stream(layers).map(Blob::descriptor).toList());
        return Blob.of(ImageFormat.OCI.manifestType, JSON.writeValueAsBytes(manifest));
    }

    private static Set<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toSet());
    }
}
