package io.hawser.itest.registry;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The filesystem storage of a {@link LocalRegistry}, for tests that sabotage it behind the
 * registry's back. Distribution keeps every blob (layers, configs and manifests alike) at
 * {@code <root>/docker/registry/v2/blobs/sha256/<first 2 hex>/<hex>/data} and serves that file's
 * bytes for the digest without checking them again.
 */
public record RegistryStorage(Path root) {

    /** The data file of a digest ({@code sha256:<hex>}), whether or not it exists. */
    public Path blobData(String digest) {
        if (!digest.startsWith("sha256:") || digest.length() != "sha256:".length() + 64) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        String hex = digest.substring("sha256:".length());
        return root.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /**
     * Inverts some bytes in the middle of a stored blob, keeping its size, so the registry serves
     * content whose digest is not the one it is asked for (and, for gzip, that does not inflate).
     */
    public void corruptBlob(String digest) throws IOException {
        Path data = blobData(digest);
        if (!Files.exists(data)) {
            throw new NoSuchFileException(data.toString(), null, "no blob " + digest + " in the registry's storage");
        }
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            long size = file.length();
            if (size == 0) {
                throw new IOException("blob " + digest + " is empty: nothing to corrupt");
            }
            int length = (int) Math.min(16, size);
            long offset = (size - length) / 2;
            byte[] bytes = new byte[length];
            file.seek(offset);
            file.readFully(bytes);
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) ~bytes[i];
            }
            file.seek(offset);
            file.write(bytes);
        }
    }
}
