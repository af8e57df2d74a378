package io.hawser.images;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named image: a name pointing at the manifest or index that is the image.
 *
 * @param name    the full reference, for example {@code registry.local/busybox:1.36}
 * @param target  the manifest or index the name points to
 * @param labels  labels, for example the garbage-collection references and CRI's pinned flag
 * @param created when the record was created
 * @param updated when its target or labels last changed
 */
public record Image(String name, Descriptor target, Map<String, String> labels, Instant created, Instant updated) {

    public Image {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
        if (name.isBlank()) {
            throw new IllegalArgumentException("image name must not be blank");
        }
    }
}
