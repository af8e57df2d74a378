package io.hawser.itest.registry;

import java.io.IOException;
import java.net.URI;

/**
 * Builds the image {@code bench/pull} measures and pushes it to a registry: the busybox layer
 * plus {@code RANDOM_LAYERS} layers of {@code LAYER_BYTES} seeded random bytes each, gzip'd as
 * real images are (random data does not shrink, so each blob stays about that size). The same
 * seed gives the same image, digests included.
 *
 * <p>Prints one line for the script: {@code MANIFEST_DIGEST LAYERS TOTAL_BYTES}, where
 * {@code TOTAL_BYTES} counts the manifest, the config and the layers as pushed: what a pull stores.
 */
public final class PushBenchImage {

    private PushBenchImage() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: PushBenchImage REGISTRY_HOST:PORT REPOSITORY TAG RANDOM_LAYERS LAYER_BYTES SEED");
            System.exit(2);
        }
        String registry = args[0];
        String repository = args[1];
        String tag = args[2];
        int randomLayers = Integer.parseInt(args[3]);
        int layerBytes = Integer.parseInt(args[4]);
        long seed = Long.parseLong(args[5]);

        ImageBuilder builder = ImageBuilder.oci().busyboxLayer();
        for (int i = 0; i < randomLayers; i++) {
            builder.randomLayer(layerBytes, seed + i);
        }
        System.out.println(push(registry, repository, tag, builder.build()));
    }

    /**
     * Pushes an image to {@code registry} (host and port, plain HTTP) as {@code repository:tag};
     * returns {@code MANIFEST_DIGEST LAYERS TOTAL_BYTES}, the line the bench scripts read.
     */
    static String push(String registry, String repository, String tag, TestImage image) throws IOException, InterruptedException {
        new RegistryApiClient(URI.create("http://" + registry), null).push(repository, tag, image);
        long total = image.manifest().size() + image.blobs().stream().mapToLong(Blob::size).sum();
        return image.manifest().digest() + " " + image.layers().size() + " " + total;
    }
}
