package io.hawser.itest.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Content a test pushes to or expects from a registry: its exact bytes, the media type it is
 * referred to with, and its digest, computed once.
 */
public record Blob(String mediaType, byte[] bytes, String digest) {

    public Blob {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(digest, "digest");
    }

    public static Blob of(String mediaType, byte[] bytes) {
        return new Blob(mediaType, bytes, sha256(bytes));
    }

    public long size() {
        return bytes.length;
    }

    /** The hex part of the digest, as the registry's storage paths use it. */
    public String hex() {
        return digest.substring("sha256:".length());
    }

    /** The OCI descriptor ({@code mediaType}, {@code digest}, {@code size}) that refers to this blob. */
    public Map<String, Object> descriptor() {
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size());
        return descriptor;
    }

    /** {@code sha256:<hex>} of these bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return mediaType + " " + digest + " (" + bytes.length + " bytes)";
    }
}
