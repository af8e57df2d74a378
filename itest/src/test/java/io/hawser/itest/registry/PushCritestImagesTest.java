package io.hawser.itest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The critest fixture serves every reference critest v1.34 pulls (the registry part; the host,
 * {@code registry.k8s.io} or {@code gcr.io}, is the mirror's business), with the configuration
 * the specs read. Whether a runtime then passes the specs is {@code scripts/critest}'s question.
 */
class PushCritestImagesTest {

    /** Every image critest v1.34 pulls, without its registry host, except the digest-pinned one. */
    private static final List<String> CRITEST_REFERENCES = List.of(
            "e2e-test-images/busybox:1.29-2",
            "e2e-test-images/nginx:1.14-2",
            "e2e-test-images/httpd:2.4.39-4",
            "e2e-test-images/nonewprivs:1.3",
            "k8s-staging-cri-tools/hostnet-nginx-amd64:latest",
            "k8s-staging-cri-tools/test-image-user-uid:latest",
            "k8s-staging-cri-tools/test-image-user-username:latest",
            "k8s-staging-cri-tools/test-image-user-uid-group:latest",
            "k8s-staging-cri-tools/test-image-user-username-group:latest",
            "k8s-staging-cri-tools/test-image-predefined-group:latest",
            "k8s-staging-cri-tools/test-image-latest:latest",
            "k8s-staging-cri-tools/test-image-tag:test",
            "k8s-staging-cri-tools/test-image-tag:all",
            "k8s-staging-cri-tools/test-image-1:latest",
            "k8s-staging-cri-tools/test-image-2:latest",
            "k8s-staging-cri-tools/test-image-3:latest",
            "k8s-staging-cri-tools/test-image-tags:1",
            "k8s-staging-cri-tools/test-image-tags:2",
            "k8s-staging-cri-tools/test-image-tags:3");

    private static LocalRegistry registry;
    private static Map<String, TestImage> pushed;

    @BeforeAll
    static void pushFixture() throws Exception {
        registry = LocalRegistry.anonymous();
        pushed = PushCritestImages.pushTo(registry.client());
    }

    @AfterAll
    static void closeRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void servesEveryReferenceCritestPullsAndThePauseImage() throws Exception {
        List<String> references = new ArrayList<>(CRITEST_REFERENCES);
        references.add("pause:3.6");
        for (String reference : references) {
            int colon = reference.lastIndexOf(':');
            HttpResponse<byte[]> manifest = registry.client().get(
                    "/v2/" + reference.substring(0, colon) + "/manifests/" + reference.substring(colon + 1),
                    "application/vnd.oci.image.manifest.v1+json");
            assertEquals(200, manifest.statusCode(), reference);
            assertEquals(pushed.get(reference).manifest().digest(), manifest.headers().firstValue("Docker-Content-Digest").orElse(""), reference);
        }
    }

    @Test
    void tagsOfOneImageShareADigestAndDistinctImagesDoNot() {
        Set<String> sameImage = new HashSet<>();
        for (String tag : List.of("1", "2", "3")) {
            sameImage.add(pushed.get("k8s-staging-cri-tools/test-image-tags:" + tag).manifest().digest());
        }
        assertEquals(1, sameImage.size(), "test-image-tags:1, :2 and :3 are one image");

        List<String> distinct = List.of("test-image-1:latest", "test-image-2:latest", "test-image-3:latest",
                "test-image-latest:latest", "test-image-tag:test", "test-image-tag:all");
        Set<String> digests = new HashSet<>();
        distinct.forEach(reference -> digests.add(pushed.get("k8s-staging-cri-tools/" + reference).manifest().digest()));
        assertEquals(distinct.size(), digests.size(), "every one of " + distinct + " is a different image");
    }

    @Test
    void imageUsersAreThoseCritestExpects() throws Exception {
        Map<String, String> users = Map.of(
                "test-image-user-uid", "1002",
                "test-image-user-username", "www-data",
                "test-image-user-uid-group", "1003:1004",
                "test-image-user-username-group", "www-data:1004",
                "test-image-predefined-group", "1000");
        for (Map.Entry<String, String> user : users.entrySet()) {
            assertEquals(user.getValue(), runConfig("k8s-staging-cri-tools/" + user.getKey() + ":latest").path("User").asText(), user.getKey());
        }
        String group = fileOf("k8s-staging-cri-tools/test-image-predefined-group:latest", "etc/group");
        assertTrue(group.contains("group-defined-in-image:x:50000:default-user\n"), group);
    }

    @Test
    void webServersRunBusyboxHttpdUnderTheNamesTheSpecsLookFor() throws Exception {
        String nginx = runConfig("e2e-test-images/nginx:1.14-2").path("Entrypoint").toString();
        assertTrue(nginx.contains("/var/run/nginx.pid") && nginx.contains("nginx: master process") && nginx.contains("-p 80 "), nginx);
        String hostNet = runConfig("k8s-staging-cri-tools/hostnet-nginx-amd64:latest").path("Entrypoint").toString();
        assertTrue(hostNet.contains("-p 12003 "), hostNet);
        String httpd = runConfig("e2e-test-images/httpd:2.4.39-4").path("Entrypoint").toString();
        assertTrue(httpd.contains("httpd -f") && httpd.contains("-p 80 "), httpd);
    }

    @Test
    void appletsAreHardLinksToBusyboxSoThatMaskingOneHidesOnlyIt() throws Exception {
        TarEntry sh = entryOf("e2e-test-images/busybox:1.29-2", "bin/sh");
        assertEquals('1', sh.type(), "bin/sh is a hard link");
        assertEquals("bin/busybox", sh.linkName());
    }

    @Test
    void noNewPrivsImageHasASetuidRootSu() throws Exception {
        TarEntry su = entryOf("e2e-test-images/nonewprivs:1.3", "usr/local/bin/su");
        assertEquals('0', su.type());
        assertEquals(04755, su.mode(), "mode " + Integer.toOctalString(su.mode()));
    }

    private static JsonNode runConfig(String reference) throws IOException {
        return ImageBuilder.JSON.readTree(pushed.get(reference).config().bytes()).path("config");
    }

    /** An entry of the image's layers, the topmost that has the path. */
    private record TarEntry(char type, int mode, String linkName, byte[] content) {}

    private static TarEntry entryOf(String reference, String path) throws IOException {
        TarEntry found = null;
        for (TestImage.Layer layer : pushed.get(reference).layers()) {
            TarEntry entry = readEntry(gunzip(layer.blob().bytes()), path);
            if (entry != null) {
                found = entry;
            }
        }
        if (found == null) {
            throw new AssertionError(reference + " has no " + path);
        }
        return found;
    }

    private static String fileOf(String reference, String path) throws IOException {
        return new String(entryOf(reference, path).content(), StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** The ustar entry named {@code path} in an uncompressed archive, or null. */
    private static TarEntry readEntry(byte[] tar, String path) {
        for (int offset = 0; offset + 512 <= tar.length && tar[offset] != 0; ) {
            String name = field(tar, offset, 100);
            long size = Long.parseLong(field(tar, offset + 124, 12).trim(), 8);
            int contentStart = offset + 512;
            if (name.equals(path)) {
                byte[] content = Arrays.copyOfRange(tar, contentStart, contentStart + (int) size);
                return new TarEntry((char) tar[offset + 156], Integer.parseInt(field(tar, offset + 100, 8).trim(), 8),
                        field(tar, offset + 157, 100), content);
            }
            offset = contentStart + (int) ((size + 511) / 512 * 512);
        }
        return null;
    }

    private static String field(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
