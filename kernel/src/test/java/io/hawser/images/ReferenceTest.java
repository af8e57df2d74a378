package io.hawser.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceTest {

    private static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io/library/busybox:latest",
            "busybox:1.36, docker.io/library/busybox:1.36",
            "library/busybox, docker.io/library/busybox:latest",
            "docker.io/busybox, docker.io/library/busybox:latest",
            "index.docker.io/library/busybox:1, docker.io/library/busybox:1",
            "team/app, docker.io/team/app:latest",
            "localhost/app, localhost/app:latest",
            "localhost:5000/x, localhost:5000/x:latest",
            "127.0.0.1:5000/a/b/c:v1.2_rc-3, 127.0.0.1:5000/a/b/c:v1.2_rc-3",
            "[::1]:5000/app:1, [::1]:5000/app:1",
            "registry.k8s.io/pause:3.10, registry.k8s.io/pause:3.10",
            "Registry.Example.com/app, Registry.Example.com/app:latest",
            "a__b/c.d-e---f, docker.io/a__b/c.d-e---f:latest",
    })
    void normalizesLikeDocker(String typed, String canonical) throws HawserException {
        assertEquals(canonical, Reference.parse(typed).toString());
    }

    @Test
    void splitsIntoParts() throws HawserException {
        Reference r = Reference.parse("localhost:5000/team/app:1.0");
        assertEquals("localhost:5000", r.domain());
        assertEquals("team/app", r.path());
        assertEquals("1.0", r.tag());
        assertNull(r.digest());
        assertEquals("localhost:5000/team/app", r.name());
        assertEquals("1.0", r.object());
    }

    @Test
    void digestOnlyGetsNoDefaultTag() throws HawserException {
        Reference r = Reference.parse("busybox@" + DIGEST);
        assertEquals("", r.tag());
        assertEquals(Digest.parse(DIGEST), r.digest());
        assertEquals("docker.io/library/busybox@" + DIGEST, r.toString());
        assertEquals(DIGEST, r.object());
    }

    @Test
    void tagAndDigestAreBothKept() throws HawserException {
        Reference r = Reference.parse("localhost:5000/app:1.0@" + DIGEST);
        assertEquals("1.0", r.tag());
        assertEquals(Digest.parse(DIGEST), r.digest());
        assertEquals("localhost:5000/app:1.0@" + DIGEST, r.toString());
        assertEquals(DIGEST, r.object(), "the digest decides what is fetched");
    }

    @Test
    void pinningKeepsTheTag() throws HawserException {
        Reference pinned = Reference.parse("app:1").withDigest(Digest.parse(DIGEST));
        assertEquals("docker.io/library/app:1@" + DIGEST, pinned.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "busybox, busybox:latest",
            "docker.io/library/busybox:1, busybox:1",
            "team/app:2, team/app:2",
            "docker.io/library/a/b, library/a/b:latest",
            "localhost:5000/x, localhost:5000/x:latest",
    })
    void familiarFormIsShortAndParsesBack(String typed, String familiar) throws HawserException {
        Reference r = Reference.parse(typed);
        assertEquals(familiar, r.familiar());
        assertEquals(r, Reference.parse(r.familiar()));
    }

    @Test
    void canonicalFormParsesBack() throws HawserException {
        for (String s : new String[] {"busybox", "a/b:c", "localhost:1/x@" + DIGEST, "h.io/p:t@" + DIGEST}) {
            Reference r = Reference.parse(s);
            assertEquals(r, Reference.parse(r.toString()));
        }
    }

    @Test
    void refusesEmpty() {
        assertInvalid("", "it is empty");
    }

    @Test
    void refusesUpperCaseRepository() {
        assertInvalid("BusyBox", "'BusyBox' must be lower case");
        assertInvalid("localhost:5000/Team/app", "'Team/app' must be lower case");
    }

    @Test
    void refusesBadTags() {
        assertInvalid("busybox:.hidden", "tag '.hidden'");
        assertInvalid("busybox:", "tag ''");
        assertInvalid("busybox:a+b", "tag 'a+b'");
        assertInvalid("busybox:" + "t".repeat(129), "1 to 128");
    }

    @Test
    void refusesBadDigests() {
        assertInvalid("busybox@sha256:abc", "bad digest");
        assertInvalid("busybox@md5:" + "0".repeat(32), "unsupported digest algorithm 'md5'");
        assertInvalid("busybox@" + DIGEST.toUpperCase(java.util.Locale.ROOT).replace("SHA256", "sha256"), "lower-case hex");
        assertInvalid("busybox@", "bad digest");
    }

    @Test
    void refusesBadPathComponents() {
        assertInvalid("a//b", "empty component");
        assertInvalid("team/-app", "component '-app'");
        assertInvalid("team/app_", "component 'app_'");
        assertInvalid("team/a___b", "component 'a___b'");
        assertInvalid("localhost:5000/", "empty component");
    }

    @Test
    void refusesBadDomains() {
        assertInvalid("bad_host.io/app", "registry 'bad_host.io' is not a valid host name");
        assertInvalid("host.io:port/app", "port 'port'");
        assertInvalid("-host.io/app", "not a valid host name");
    }

    @Test
    void refusesTooLongNames() {
        assertInvalid("a/" + "b".repeat(254), "more than 255");
    }

    @Test
    void refusesImageIds() {
        assertInvalid("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "image ID");
    }

    @Test
    void refusesMissingName() {
        assertInvalid(":tag", "no repository name");
        assertInvalid("@" + DIGEST, "no repository name");
    }

    private static void assertInvalid(String reference, String expected) {
        HawserException e = assertThrows(HawserException.class, () -> Reference.parse(reference));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("'" + reference + "'"), "names the reference: " + e.getMessage());
    }
}
