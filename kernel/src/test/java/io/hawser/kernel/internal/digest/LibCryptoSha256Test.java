package io.hawser.kernel.internal.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.hawser.content.DigestAlgorithm;

class LibCryptoSha256Test {

    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    /** 1 MiB of seeded random bytes: many staging buffers' worth. */
    private static final byte[] DATA = seeded(1 << 20);

    @Test
    void hashesTheEmptyInput() {
        assertEquals(EMPTY, hex(newHasher().digest()));
    }

    @Test
    void hashesAbc() {
        assertEquals(ABC, hex(newHasher().digest(ascii("abc"))));
    }

    @Test
    void agreesWithTheJdkOnAMebibyte() {
        assertArrayEquals(jdk().digest(DATA), newHasher().digest(DATA));
    }

    @Test
    void agreesWithTheJdkWhateverTheUpdatesLookLike() {
        int[] sizes = {1, 7, 63, 64, 65, 4095, 65535, 65536, 65537, 100_003};
        MessageDigest hasher = newHasher();
        ByteBuffer direct = ByteBuffer.allocateDirect(DATA.length + 3);
        int from = 0;
        for (int i = 0; from < DATA.length; i++) {
            int n = Math.min(sizes[i % sizes.length], DATA.length - from);
            switch (i % 4) {
                case 0 -> hasher.update(DATA, from, n);
                case 1 -> {
                    for (int b = from; b < from + n; b++) {
                        hasher.update(DATA[b]);
                    }
                }
                case 2 -> hasher.update(ByteBuffer.wrap(DATA, from, n));
                default -> {
                    // away from the buffer's start, so the position must be honoured
                    direct.clear().position(3);
                    direct.put(DATA, from, n).flip().position(3);
                    hasher.update(direct);
                    assertEquals(direct.limit(), direct.position());
                }
            }
            from += n;
        }
        assertArrayEquals(jdk().digest(DATA), hasher.digest());
    }

    @Test
    void startsAfreshAfterDigestAndReset() {
        MessageDigest hasher = newHasher();
        hasher.update(DATA);
        hasher.digest();
        assertEquals(ABC, hex(hasher.digest(ascii("abc"))));
        hasher.update(DATA, 0, 1000);
        hasher.reset();
        assertEquals(ABC, hex(hasher.digest(ascii("abc"))));
        assertEquals(EMPTY, hex(hasher.digest()));
    }

    @Test
    void aCloneContinuesIndependently() throws CloneNotSupportedException {
        MessageDigest hasher = newHasher();
        // bytes still staged when cloned, and more than the staging buffer before that
        hasher.update(DATA, 0, 70_000);
        MessageDigest copy = (MessageDigest) hasher.clone();
        hasher.update(ascii("abc"));
        copy.update(DATA, 70_000, DATA.length - 70_000);
        assertArrayEquals(jdk().digest(DATA), copy.digest());
        MessageDigest expected = jdk();
        expected.update(DATA, 0, 70_000);
        expected.update(ascii("abc"));
        assertArrayEquals(expected.digest(), hasher.digest());
    }

    @Test
    void writesIntoAGivenArray() throws DigestException {
        MessageDigest hasher = newHasher();
        byte[] out = new byte[40];
        hasher.update(ascii("abc"));
        assertEquals(32, hasher.getDigestLength());
        assertEquals(32, hasher.digest(out, 8, 32));
        assertEquals(ABC, hex(Arrays.copyOfRange(out, 8, 40)));
    }

    @Test
    void sha256HashersAreLibCryptosWhereItLoads() {
        assumeLibCrypto();
        assertInstanceOf(LibCryptoSha256.class, DigestAlgorithm.SHA256.newHasher());
    }

    @Test
    void fallsBackWhenTheLibraryIsMissing() {
        assertEquals(0, LibCryptoSha256.bind("hawser-no-such-library"));
    }

    @Test
    void fallsBackWhenTheLibraryLacksTheFunctions() {
        // zlib loads but has no EVP_* functions
        assertEquals(0, LibCryptoSha256.bind("z"));
        // and the failed attempt leaves hashing as it was
        assertEquals(ABC, hex(DigestAlgorithm.SHA256.newHasher().digest(ascii("abc"))));
    }

    private static LibCryptoSha256 newHasher() {
        assumeLibCrypto();
        return new LibCryptoSha256();
    }

    private static void assumeLibCrypto() {
        assumeTrue(LibCryptoSha256.isAvailable(), "libcrypto (Debian: libssl3) is not installed");
    }

    private static MessageDigest jdk() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] seeded(int length) {
        byte[] bytes = new byte[length];
        new Random(20240501).nextBytes(bytes);
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
