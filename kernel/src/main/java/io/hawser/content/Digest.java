package io.hawser.content;

import java.io.Serializable;
import java.util.Objects;

/**
 * The address of a blob: an algorithm and the hash of the blob's bytes in lower-case hexadecimal,
 * written {@code sha256:<64 hex digits>}. Digests appear in manifests, file names and labels, so
 * one that is not exactly well formed is refused instead of normalized: accepting upper case or
 * surrounding blanks would let two strings name one blob.
 *
 * @param algorithm the algorithm
 * @param hex       the hash, lower-case hexadecimal of the algorithm's length
 */
public record Digest(DigestAlgorithm algorithm, String hex) implements Comparable<Digest>, Serializable {

    public Digest {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != algorithm.hexLength()) {
            throw new IllegalArgumentException(algorithm.label() + " digest must have " + algorithm.hexLength()
                    + " hex digits, got " + hex.length() + ": " + algorithm.label() + ":" + hex);
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("digest must be lower-case hex, found '" + c + "' at position "
                        + i + " in " + algorithm.label() + ":" + hex);
            }
        }
    }

    /**
     * Parses {@code algorithm:hex}.
     *
     * @throws IllegalArgumentException saying what is wrong: no separator, an unsupported
     *                                  algorithm, a wrong length or a character that is not
     *                                  lower-case hex
     */
    public static Digest parse(String digest) {
        Objects.requireNonNull(digest, "digest");
        int colon = digest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("digest must have the form algorithm:hex, got '" + digest + "'");
        }
        return new Digest(DigestAlgorithm.of(digest.substring(0, colon)), digest.substring(colon + 1));
    }

    /** The SHA-256 digest of bytes. */
    public static Digest sha256(byte[] data) {
        return DigestAlgorithm.SHA256.digest(data);
    }

    /** Orders by algorithm, then hash, which is the order of the store's directory listing. */
    @Override
    public int compareTo(Digest other) {
        int byAlgorithm = algorithm.compareTo(other.algorithm);
        return byAlgorithm != 0 ? byAlgorithm : hex.compareTo(other.hex);
    }

    /** The digest as written in manifests: {@code sha256:…}. */
    @Override
    public String toString() {
        return algorithm.label() + ":" + hex;
    }
}
