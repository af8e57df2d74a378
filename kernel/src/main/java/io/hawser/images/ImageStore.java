package io.hawser.images;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.hawser.errors.HawserException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The image records, by name. The kernel provides it, backed by its metadata database. It stores
 * records only: creating one fetches nothing, deleting one removes no blob (the garbage collector
 * does that once no image refers to them).
 */
@ProviderType
public interface ImageStore {

    /** The image with the name, if there is one. */
    Optional<Image> get(String name) throws IOException;

    /** The images the filter accepts, ordered by name. */
    List<Image> list(Predicate<? super Image> filter) throws IOException;

    /**
     * Records a new image. The store stamps its own creation and update times.
     *
     * @return the record as stored
     * @throws HawserException {@code ALREADY_EXISTS} when the name is taken
     */
    Image create(Image image) throws IOException;

    /**
     * Replaces the target and labels of an image. The store stamps the update time.
     *
     * @return the record as stored
     * @throws HawserException {@code NOT_FOUND} when there is no image with the name
     */
    Image update(Image image) throws IOException;

    /**
     * Deletes an image record.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no image with the name
     */
    void delete(String name) throws IOException;
}
