package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.Blob;
import io.hawser.itest.registry.Credentials;
import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.LocalRegistry;
import io.hawser.itest.registry.TestImage;
import io.hawser.itest.registry.TestIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code hawser pull} against Debian's docker-registry on loopback, with images the test builds
 * from busybox: what a pull stores, how it refuses bad content, and that nothing half-done is
 * ever visible.
 */
class ImagePullTest {

    private Hawserd daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        LocalRegistry.assumeInstalled();
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void pullStoresEveryBlobVerifiedAndRecordsTheImage() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "hello")
                    .randomLayer(4 << 20, 1).randomLayer(3 << 20, 2).build();
            registry.client().push("test/busybox", "1.0", image);
            String reference = registry.host() + "/test/busybox:1.0";

            Result pull = daemon.hawser("pull", reference);
            assertEquals(0, pull.status(), pull.err());
            assertTrue(pull.out().contains(reference + " " + image.manifest().digest()), pull.out());

            Result images = daemon.hawser("images");
            assertTrue(images.out().lines().anyMatch(l -> l.startsWith(reference + " ") && l.contains(image.manifest().digest())
                    && l.contains("linux/amd64")), images.out());
            Result content = daemon.hawser("content", "ls", "-q");
            for (Blob blob : image.blobs()) {
                assertTrue(content.out().contains(blob.digest()), blob.digest() + " missing from\n" + content.out());
            }
            assertEveryBlobVerifies();

            Result inspect = daemon.hawser("image", "inspect", reference);
            assertEquals(0, inspect.status(), inspect.err());
            for (TestImage.Layer layer : image.layers()) {
                assertTrue(inspect.out().contains(layer.diffId()), inspect.out());
            }

            Result again = daemon.hawser("pull", reference);
            assertEquals(0, again.status(), again.err());
            for (Blob blob : image.blobs()) {
                assertTrue(again.out().lines().anyMatch(l -> l.contains(blob.digest()) && l.contains("already present")), again.out());
            }
            assertFalse(again.out().contains("downloading"), again.out());
        }
    }

    @Test
    void anIndexGivesTheHostPlatformUnlessAnotherIsAskedFor() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestIndex index = ImageBuilder.oci().busyboxLayer().buildIndex("linux/amd64", "linux/arm64/v8");
            registry.client().push("test/multi", "latest", index);
            String reference = registry.host() + "/test/multi";

            assertEquals(0, daemon.hawser("pull", reference).status());
            Result amd64 = daemon.hawser("image", "inspect", reference);
            assertTrue(amd64.out().contains(index.image("linux/amd64").config().digest()), amd64.out());

            Result arm = daemon.hawser("pull", "--platform", "linux/arm64", reference);
            assertEquals(0, arm.status(), arm.err());
            Result arm64 = daemon.hawser("image", "inspect", "--platform", "linux/arm64", reference);
            assertTrue(arm64.out().contains(index.image("linux/arm64").config().digest()), arm64.out());

            Result none = daemon.hawser("pull", "--platform", "linux/s390x", reference);
            assertEquals(1, none.status());
            assertTrue(none.err().contains("linux/s390x"), none.err());
        }
    }

    @Test
    void basicAuthNeedsCredentialsFromTheCommandLineOrADockerConfig() throws Exception {
        Credentials user = new Credentials("hawser", "s3cret");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(user)) {
            registry.client().push("private/busybox", "latest", ImageBuilder.oci().busyboxLayer().build());
            String reference = registry.host() + "/private/busybox";

            Result anonymous = daemon.hawser("pull", reference);
            assertEquals(1, anonymous.status());
            assertTrue(anonymous.err().contains(registry.host()), anonymous.err());

            Result wrong = daemon.hawser("pull", "--user", "hawser:wrong", reference);
            assertEquals(1, wrong.status());

            Result right = daemon.hawser("pull", "--user", "hawser:s3cret", reference);
            assertEquals(0, right.status(), right.err());

            Path dockerConfig = Files.createTempDirectory("docker-config-");
            Files.writeString(dockerConfig.resolve("config.json"), user.dockerConfigJson(registry.host()));
            daemon.close();
            daemon = Hawserd.serving(Hawserd.DISTRIBUTION, Map.of("DOCKER_CONFIG", dockerConfig.toString()));
            Result fromConfig = daemon.hawser("pull", reference);
            assertEquals(0, fromConfig.status(), fromConfig.err());
        }
    }

    @Test
    void bearerTokensAreFetchedFromTheRegistrysTokenService() throws Exception {
        Credentials user = new Credentials("hawser", "t0ken");
        try (LocalRegistry registry = LocalRegistry.withTokenAuth(user)) {
            registry.client().push("tokens/busybox", "latest", ImageBuilder.oci().busyboxLayer().build());
            String reference = registry.host() + "/tokens/busybox";

            Result anonymous = daemon.hawser("pull", reference);
            assertEquals(1, anonymous.status());

            Result pull = daemon.hawser("pull", "--user", "hawser:t0ken", reference);
            assertEquals(0, pull.status(), pull.err());
            assertTrue(registry.tokenServer().orElseThrow().grantedScopes().stream().anyMatch(s -> s.contains("tokens/busybox")),
                    "a token was granted for the repository");
        }
    }

    @Test
    void aCorruptedBlobFailsThePullAndARepairedRegistryIsPulledReusingWhatWasVerified() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage image = ImageBuilder.oci().busyboxLayer().randomLayer(2 << 20, 7).randomLayer(2 << 20, 8).build();
            registry.client().push("test/corrupt", "latest", image);
            String reference = registry.host() + "/test/corrupt";
            String bad = image.layers().get(2).blob().digest();
            Path data = registry.storage().blobData(bad);
            byte[] original = Files.readAllBytes(data);
            registry.storage().corruptBlob(bad);

            Result pull = daemon.hawser("pull", reference);
            assertEquals(1, pull.status());
            assertTrue(pull.err().contains(bad), "the message names the blob: " + pull.err());
            assertFalse(daemon.hawser("images", "-q").out().contains(reference), "no image record after a failed pull");
            assertFalse(daemon.hawser("content", "ls", "-q").out().contains(bad), "the corrupt blob is not committed");
            assertEveryBlobVerifies();

            Files.write(data, original);
            Result repaired = daemon.hawser("pull", reference);
            assertEquals(0, repaired.status(), repaired.err());
            assertTrue(repaired.out().lines().anyMatch(l -> l.contains(image.layers().get(1).blob().digest()) && l.contains("already present")),
                    "the verified layer is reused:\n" + repaired.out());
            assertEveryBlobVerifies();
        }
    }

    @Test
    void aPullInterruptedByTheRegistryStoppingResumesWhereItStopped() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage image = ImageBuilder.oci().gzip(false).busyboxLayer().randomLayer(192 << 20, 3).build();
            registry.client().push("test/big", "latest", image);
            String reference = registry.host() + "/test/big";

            Process pull = new ProcessBuilder(Hawserd.DISTRIBUTION.resolve("bin/hawser").toString(), "--address",
                    daemon.socket.toString(), "pull", reference).redirectErrorStream(true).start();
            Hawserd.awaitTrue("part of the big layer downloaded", () -> ingestBytes() > (8 << 20));
            registry.stop();
            assertTrue(pull.waitFor(60, TimeUnit.SECONDS));
            String interrupted = new String(pull.getInputStream().readAllBytes());
            assertEquals(1, pull.exitValue(), interrupted);
            assertTrue(daemon.hawser("content", "active").out().contains("pull-" + image.layers().get(1).blob().digest()));
            assertFalse(daemon.hawser("images", "-q").out().contains(reference));

            registry.start();
            Result resumed = daemon.hawser("pull", reference);
            assertEquals(0, resumed.status(), resumed.err());
            assertTrue(resumed.out().contains(image.layers().get(1).blob().digest() + " resuming at"), resumed.out());
            assertEveryBlobVerifies();
        }
    }

    @Test
    void aDaemonKilledInTheMiddleOfAPullRestartsConsistentAndTheRetryCompletes() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage image = ImageBuilder.oci().gzip(false).busyboxLayer().randomLayer(128 << 20, 4).randomLayer(64 << 20, 5).build();
            registry.client().push("test/crash", "latest", image);
            String reference = registry.host() + "/test/crash";

            Process pull = new ProcessBuilder(Hawserd.DISTRIBUTION.resolve("bin/hawser").toString(), "--address",
                    daemon.socket.toString(), "pull", reference).redirectErrorStream(true).start();
            Hawserd.awaitTrue("the pull under way", () -> ingestBytes() > (16 << 20));
            daemon.killAndRestart();
            assertTrue(pull.waitFor(30, TimeUnit.SECONDS));
            assertNotEquals(0, pull.exitValue());

            assertFalse(daemon.hawser("images", "-q").out().contains(reference), "no record of the unfinished pull");
            assertEveryBlobVerifies();

            Result retry = daemon.hawser("pull", reference);
            assertEquals(0, retry.status(), retry.err());
            assertEveryBlobVerifies();
            for (Blob blob : image.blobs()) {
                assertTrue(daemon.hawser("content", "ls", "-q").out().contains(blob.digest()));
            }
        }
    }

    @Test
    void unreachableRegistriesAndMissingImagesAreNamed() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            Result missing = daemon.hawser("pull", registry.host() + "/test/nothing:here");
            assertEquals(1, missing.status());
            assertTrue(missing.err().contains("test/nothing"), missing.err());
        }
        Result refused = daemon.hawser("pull", "127.0.0.1:1/test/busybox");
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("127.0.0.1:1"), refused.err());

        Result malformed = daemon.hawser("pull", "Not/A/Reference");
        assertEquals(1, malformed.status());
        assertTrue(malformed.err().contains("Not/A/Reference"), malformed.err());
    }

    @Test
    void exportThenImportGivesTheSameDigestsAndGcFreesExactlyTheUnreferenced() throws Exception {
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage first = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/which", "first").build();
            TestImage second = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/which", "second").build();
            registry.client().push("test/first", "latest", first);
            registry.client().push("test/second", "latest", second);
            String one = registry.host() + "/test/first";
            String two = registry.host() + "/test/second";
            assertEquals(0, daemon.hawser("pull", one).status());
            assertEquals(0, daemon.hawser("pull", two).status());

            Path archive = Files.createTempDirectory(Path.of("/tmp"), "hawser-export-").resolve("first.tar");
            Result export = daemon.hawser("export", "-o", archive.toString(), one);
            assertEquals(0, export.status(), export.err());

            Result rmi = daemon.hawser("rmi", one);
            assertEquals(0, rmi.status(), rmi.err());
            String content = daemon.hawser("content", "ls", "-q").out();
            assertTrue(content.contains(first.layers().getFirst().blob().digest()), "the shared busybox layer stays");
            assertFalse(content.contains(first.layers().get(1).blob().digest()), "the first image's own layer is gone");
            assertFalse(content.contains(first.manifest().digest()), "its manifest is gone");
            assertTrue(content.contains(second.layers().get(1).blob().digest()), "the second image is untouched");

            Result imported = daemon.hawser("import", archive.toString());
            assertEquals(0, imported.status(), imported.err());
            assertTrue(imported.out().contains(first.manifest().digest()), imported.out());
            assertTrue(daemon.hawser("content", "ls", "-q").out().contains(first.layers().get(1).blob().digest()));
            assertEveryBlobVerifies();
            Leftovers.removeDirectory(archive.getParent());
        }
    }

    /** Bytes in the daemon's unfinished ingests. */
    private long ingestBytes() throws Exception {
        Path ingest = daemon.root.resolve("content/ingest");
        if (!Files.isDirectory(ingest)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(ingest)) {
            return files.filter(f -> f.getFileName().toString().equals("data")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** Every committed blob's bytes hash to its name: nothing unverified or torn was committed. */
    private void assertEveryBlobVerifies() throws Exception {
        Path blobs = daemon.root.resolve("content/blobs/sha256");
        if (!Files.isDirectory(blobs)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(blobs)) {
            files = list.toList();
        }
        for (Path file : files) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                }
            }
            assertEquals(file.getFileName().toString(), HexFormat.of().formatHex(sha256.digest()), "blob " + file + " verifies");
        }
    }
}
