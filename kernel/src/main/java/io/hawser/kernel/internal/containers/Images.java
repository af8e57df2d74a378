package io.hawser.kernel.internal.containers;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.errors.HawserException;
import io.hawser.images.Image;

/**
 * What creating a container needs of the images: the record a request names, its configuration and
 * its layers as snapshots. {@link StoredImages} serves it from the image store and image service.
 */
public interface Images {

    /**
     * The image a request names, as recorded or as its normalized reference ({@code busybox} is
     * {@code docker.io/library/busybox:latest}).
     *
     * @throws HawserException {@code NOT_FOUND} naming the image
     */
    Image find(String reference) throws IOException;

    /** The image configuration document (the config blob) for this host's platform. */
    JsonNode config(Image image) throws IOException;

    /**
     * Unpacks the image's layers into a snapshotter unless they are there already.
     *
     * @param snapshotter the snapshotter's id
     * @return the name of the committed snapshot of the top layer, the parent of a container's
     *         snapshot; the empty string for an image without layers
     */
    String unpack(Image image, String snapshotter) throws IOException;
}
