package io.hawser.commands.internal.images;

import java.io.IOException;
import java.util.Optional;

import io.hawser.errors.HawserException;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.Reference;

/** Finds the image a name on the command line means. */
public final class ImageLookup {

    private ImageLookup() {}

    /**
     * The image named, looked up as its normalized reference ({@code busybox} is
     * {@code docker.io/library/busybox:latest}), then as written (an imported archive may have
     * recorded a name that is not a reference).
     *
     * @throws HawserException {@code NOT_FOUND} naming the normalized reference
     */
    public static Image find(ImageStore store, String name) throws IOException {
        String normalized = Reference.parse(name).toString();
        Optional<Image> image = store.get(normalized);
        if (image.isEmpty() && !normalized.equals(name)) {
            image = store.get(name);
        }
        return image.orElseThrow(() -> HawserException.notFound("image " + normalized));
    }
}
