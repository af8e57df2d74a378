package io.hawser.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DigestTest {

    private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndPrintsSha256() {
        Digest d = Digest.parse(EMPTY_SHA256);
        assertEquals(DigestAlgorithm.SHA256, d.algorithm());
        assertEquals(EMPTY_SHA256, d.toString());
    }

    @Test
    void computesSha256OfBytes() {
        assertEquals(Digest.parse(EMPTY_SHA256), Digest.sha256(new byte[0]));
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                Digest.sha256("hello".getBytes(StandardCharsets.US_ASCII)).toString());
    }

    @Test
    void computesSha512() {
        Digest d = DigestAlgorithm.SHA512.digest(new byte[0]);
        assertEquals(128, d.hex().length());
        assertEquals(d, Digest.parse(d.toString()));
    }

    @Test
    void refusesMissingSeparator() {
        var e = assertThrows(IllegalArgumentException.class, () -> Digest.parse("e3b0c442"));
        assertTrue(e.getMessage().contains("algorithm:hex"), e.getMessage());
    }

    @Test
    void refusesUnsupportedAlgorithm() {
        var e = assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:d41d8cd98f00b204e9800998ecf8427e"));
        assertTrue(e.getMessage().contains("unsupported digest algorithm 'md5'"), e.getMessage());
    }

    @Test
    void refusesWrongLength() {
        var e = assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:abc"));
        assertTrue(e.getMessage().contains("64 hex digits, got 3"), e.getMessage());
    }

    @Test
    void refusesUpperCaseAndBlanks() {
        var upper = assertThrows(IllegalArgumentException.class, () -> Digest.parse(EMPTY_SHA256.toUpperCase().replace("SHA256", "sha256")));
        assertTrue(upper.getMessage().contains("lower-case hex"), upper.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(" " + EMPTY_SHA256));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(EMPTY_SHA256 + "\n"));
    }

    @Test
    void ordersByAlgorithmThenHash() {
        Digest a = Digest.parse("sha256:" + "0".repeat(64));
        Digest b = Digest.parse("sha256:" + "f".repeat(64));
        Digest c = Digest.parse("sha512:" + "0".repeat(128));
        assertTrue(a.compareTo(b) < 0);
        assertTrue(b.compareTo(c) < 0);
    }
}
