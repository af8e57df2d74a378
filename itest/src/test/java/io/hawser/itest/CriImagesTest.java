package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.Credentials;
import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.LocalRegistry;
import io.hawser.itest.registry.TestImage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CRI frontend of {@code bin/hawserd} driven by the real {@code crictl}: version, status,
 * the image service against Debian's docker-registry on loopback, and refusals. crictl comes from
 * {@code scripts/cri-tools}; the test runs that script when crictl is missing and skips, saying
 * why, only when it cannot be built.
 */
class CriImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Hawserd daemon;
    private Path socket;

    @BeforeAll
    static void installCrictl() throws Exception {
        Crictl.assumeInstalled();
    }

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
        socket = daemon.state.resolve("cri.sock");
        Instant deadline = Instant.now().plus(Hawserd.PATIENCE);
        while (!Files.exists(socket) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "no " + socket + "; daemon log:\n" + daemon.logText());
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void versionAndStatusOnARootOnlySocket() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
        assertEquals("root", Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName());

        Result version = crictl("version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().contains("RuntimeName:  hawser"), version.out());
        assertTrue(version.out().contains("RuntimeApiVersion:  v1"), version.out());

        Result info = crictl("info");
        assertEquals(0, info.status(), info.err());
        JsonNode conditions = JSON.readTree(info.out()).path("status").path("conditions");
        List<String> types = new ArrayList<>();
        // NetworkReady follows the host's CNI configuration: CriPodSandboxTest checks it with its own
        for (JsonNode condition : conditions) {
            types.add(condition.path("type").asText());
        }
        assertEquals(List.of("RuntimeReady", "NetworkReady"), types, info.out());
        assertEquals("cgroupfs", JSON.readTree(info.out()).path("config").path("cgroupDriver").asText(), info.out());

        // the one method not served says so instead of failing obscurely
        Result checkpoint = crictl("checkpoint", "--export", "/tmp/none.tar", "0123456789ab");
        assertNotEquals(0, checkpoint.status());
        assertTrue(checkpoint.err().contains("not implemented yet"), checkpoint.err());
    }

    @Test
    void pullListInspectAndRemoveAnImage() throws Exception {
        LocalRegistry.assumeInstalled();
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            TestImage image = ImageBuilder.oci().busyboxLayer().fileLayer("/etc/hawser-test", "hello").build();
            registry.client().push("test/busybox", "1.0", image);
            String reference = registry.host() + "/test/busybox:1.0";
            String id = image.config().digest();

            Result pull = crictl("pull", reference);
            assertEquals(0, pull.status(), pull.err() + daemonLog());
            assertTrue(pull.out().contains(id), pull.out());

            Result images = crictl("images", "-o", "json");
            assertEquals(0, images.status(), images.err());
            JsonNode listed = JSON.readTree(images.out()).path("images");
            assertEquals(1, listed.size(), images.out());
            assertEquals(id, listed.get(0).path("id").asText());
            assertEquals(reference, listed.get(0).path("repoTags").get(0).asText(), images.out());
            assertEquals(registry.host() + "/test/busybox@" + image.manifest().digest(),
                    listed.get(0).path("repoDigests").get(0).asText(), images.out());
            assertTrue(listed.get(0).path("size").asLong() > 0, images.out());

            // the same image by tag, by ID and by repository digest
            for (String name : List.of(reference, id, registry.host() + "/test/busybox@" + image.manifest().digest())) {
                Result inspect = crictl("inspecti", name);
                assertEquals(0, inspect.status(), name + ": " + inspect.err());
                JsonNode status = JSON.readTree(inspect.out());
                assertEquals(id, status.path("status").path("id").asText(), inspect.out());
                assertEquals(image.manifest().digest(), status.path("info").path("manifest").asText(), inspect.out());
            }

            Result fs = crictl("imagefsinfo", "-o", "json");
            assertEquals(0, fs.status(), fs.err());
            JsonNode filesystems = JSON.readTree(fs.out()).path("status").path("imageFilesystems");
            assertEquals(2, filesystems.size(), fs.out());
            assertTrue(filesystems.get(0).path("usedBytes").path("value").asLong() > 0, "unpacked layers: " + fs.out());
            assertTrue(filesystems.get(1).path("usedBytes").path("value").asLong() > 0, "content store: " + fs.out());
            assertTrue(filesystems.get(1).path("fsId").path("mountpoint").asText().endsWith("/content"), fs.out());

            Result rmi = crictl("rmi", reference);
            assertEquals(0, rmi.status(), rmi.err());
            Result after = crictl("images", "-q");
            assertEquals("", after.out().strip(), after.out());
            Result inspectGone = crictl("inspecti", reference);
            assertNotEquals(0, inspectGone.status(), inspectGone.out());

            // the embedded grpc and Netty run inside Felix without complaint
            assertFalse(daemon.logText().lines().anyMatch(l -> (l.contains(" WARN ") || l.contains(" ERROR "))
                    && (l.contains("io.grpc") || l.contains("io.netty"))), daemonLog());
        }
    }

    @Test
    void pullWithCredentials() throws Exception {
        LocalRegistry.assumeInstalled();
        Credentials credentials = new Credentials("kubelet", "s3cret");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(credentials)) {
            TestImage image = ImageBuilder.oci().busyboxLayer().build();
            registry.client().push("test/private", "1.0", image);
            String reference = registry.host() + "/test/private:1.0";

            Result anonymous = crictl("pull", reference);
            assertNotEquals(0, anonymous.status(), anonymous.out());
            assertTrue(anonymous.err().contains("Unauthenticated"), anonymous.err());

            Result wrong = crictl("pull", "--creds", "kubelet:wrong", reference);
            assertNotEquals(0, wrong.status(), wrong.out());
            assertTrue(wrong.err().contains("Unauthenticated"), wrong.err());

            Result pull = crictl("pull", "--creds", credentials.user() + ":" + credentials.password(), reference);
            assertEquals(0, pull.status(), pull.err() + daemonLog());
            assertTrue(pull.out().contains(image.config().digest()), pull.out());
        }
    }

    @Test
    void badPullsAreRefusedClearly() throws Exception {
        LocalRegistry.assumeInstalled();
        try (LocalRegistry registry = LocalRegistry.anonymous()) {
            Result missing = crictl("pull", registry.host() + "/test/missing:1.0");
            assertNotEquals(0, missing.status(), missing.out());
            assertTrue(missing.err().contains("code = NotFound"), missing.err());
            assertTrue(missing.err().contains("test/missing"), missing.err());

            Result malformed = crictl("pull", registry.host() + "/Test/UPPER:1.0");
            assertNotEquals(0, malformed.status(), malformed.out());
            assertTrue(malformed.err().contains("code = InvalidArgument"), malformed.err());
            assertTrue(malformed.err().contains("lower case"), malformed.err());

            Result images = crictl("images", "-q");
            assertEquals("", images.out().strip(), images.out());
        }
    }

    @Test
    void socketRemovedWhenTheDaemonStops() throws Exception {
        daemon.process.destroy();
        assertTrue(daemon.process.waitFor(Hawserd.PATIENCE.toSeconds(), TimeUnit.SECONDS), daemonLog());
        assertFalse(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "cri.sock left behind");
    }

    private Result crictl(String... args) throws Exception {
        return new Crictl(socket).run(args);
    }

    private String daemonLog() throws Exception {
        return "\ndaemon log:\n" + daemon.logText();
    }
}
