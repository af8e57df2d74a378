package io.hawser.itest.registry;

import java.util.ArrayList;
import java.util.List;

/**
 * One single-platform image as {@link ImageBuilder} made it: the manifest, the config and the
 * layers, each with the exact bytes pushed and their digests, for assertions after a pull.
 */
public record TestImage(ImageFormat format, Platform platform, Blob manifest, Blob config, List<Layer> layers) {

    public TestImage {
        layers = List.copyOf(layers);
    }

    /** A layer: the blob as pushed (maybe gzip) and the digest of its uncompressed tar (its diff ID). */
    public record Layer(Blob blob, String diffId) {}

    /** {@code os/architecture[/variant]} as in an index and in {@code --platform}. */
    public record Platform(String os, String architecture, String variant) {

        public static Platform parse(String text) {
            String[] parts = text.split("/");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("a platform is os/architecture[/variant], not '" + text + "'");
            }
            return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
        }

        @Override
        public String toString() {
            return os + "/" + architecture + (variant == null ? "" : "/" + variant);
        }
    }

    /** The config and layer blobs, which a push uploads before the manifest. */
    public List<Blob> blobs() {
        List<Blob> blobs = new ArrayList<>();
        blobs.add(config);
        layers.forEach(layer -> blobs.add(layer.blob()));
        return blobs;
    }
}
