package io.hawser.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.hawser.kernel.internal.digest.LibCryptoSha256;

/**
 * The digest algorithms the store can verify. The OCI image specification registers
 * {@code sha256} and {@code sha512}; a digest in any other algorithm cannot be checked and is
 * refused rather than trusted.
 */
public enum DigestAlgorithm {
    /** SHA-256, the algorithm of practically every image. */
    SHA256("sha256", "SHA-256", 64),
    /** SHA-512. */
    SHA512("sha512", "SHA-512", 128);

    private final String label;
    private final String jcaName;
    private final int hexLength;

    DigestAlgorithm(String label, String jcaName, int hexLength) {
        this.label = label;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** The name used in digest strings, {@code sha256} or {@code sha512}. */
    public String label() {
        return label;
    }

    /** How many hexadecimal characters a digest of this algorithm has. */
    public int hexLength() {
        return hexLength;
    }

    /**
     * The algorithm a digest string names.
     *
     * @throws IllegalArgumentException when the algorithm is not supported, naming the supported ones
     */
    public static DigestAlgorithm of(String label) {
        for (DigestAlgorithm a : values()) {
            if (a.label.equals(label)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unsupported digest algorithm '" + label + "' (supported: sha256, sha512)");
    }

    /**
     * A fresh hasher for this algorithm, for digesting a stream while it is written. SHA-256 is
     * OpenSSL's where libcrypto loads: hawserd's C1-only JIT leaves the JDK's in plain Java.
     */
    public MessageDigest newHasher() {
        if (this == SHA256 && LibCryptoSha256.isAvailable()) {
            return new LibCryptoSha256();
        }
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 and SHA-512
            throw new IllegalStateException(jcaName + " missing from the Java platform", e);
        }
    }

    /** The digest of bytes. */
    public Digest digest(byte[] data) {
        return fromHash(newHasher().digest(data));
    }

    /** The digest a finished hasher of this algorithm computed. */
    public Digest fromHash(byte[] hash) {
        return new Digest(this, HexFormat.of().formatHex(hash));
    }
}
