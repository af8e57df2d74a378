package io.hawser.images;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import io.hawser.content.Digest;

/**
 * An image narrowed to one platform: the manifest chosen for it and what that manifest names.
 *
 * @param platform the platform the manifest was chosen for
 * @param manifest the image manifest
 * @param config   the image configuration blob
 * @param layers   the layers, bottom first, as stored (usually compressed)
 * @param diffIds  the digests of the uncompressed layers, from the configuration, in the same
 *                 order
 */
public record ResolvedImage(Platform platform, Descriptor manifest, Descriptor config, List<Descriptor> layers, List<Digest> diffIds) {

    public ResolvedImage {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        diffIds = List.copyOf(diffIds);
        if (layers.size() != diffIds.size()) {
            throw new IllegalArgumentException("manifest " + manifest.digest() + " has " + layers.size()
                    + " layers but its config lists " + diffIds.size() + " diff ids");
        }
    }

    /** Bytes the image takes in the content store: manifest, config and layers. */
    public long size() {
        return manifest.size() + config.size() + layers.stream().mapToLong(Descriptor::size).sum();
    }

    /**
     * The chain ID of the whole layer stack: the name of the committed snapshot that holds the
     * unpacked image, and the parent a container's snapshot is prepared from.
     *
     * @throws IllegalStateException when the image has no layers
     */
    public Digest chainId() {
        if (diffIds.isEmpty()) {
            throw new IllegalStateException("image " + manifest.digest() + " has no layers");
        }
        return chainId(diffIds);
    }

    /**
     * The chain ID of a stack of layers given by their diff IDs, bottom first, as the OCI image
     * specification defines it: the first layer's diff ID, then for each further layer the SHA-256
     * of the chain so far, a space, and the layer's diff ID.
     *
     * @throws IllegalArgumentException when the list is empty
     */
    public static Digest chainId(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            throw new IllegalArgumentException("a chain ID needs at least one layer");
        }
        Digest chain = diffIds.getFirst();
        for (Digest next : diffIds.subList(1, diffIds.size())) {
            chain = Digest.sha256((chain + " " + next).getBytes(StandardCharsets.UTF_8));
        }
        return chain;
    }
}
