package io.hawser.kernel.internal.archive;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import io.hawser.errors.HawserException;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;

/** Image records in memory for tests, with the real store's refusals. */
final class MemoryImageStore implements ImageStore {

    private final ConcurrentSkipListMap<String, Image> images = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Image> get(String name) {
        return Optional.ofNullable(images.get(name));
    }

    @Override
    public List<Image> list(Predicate<? super Image> filter) {
        return images.values().stream().filter(filter).toList();
    }

    @Override
    public Image create(Image image) throws IOException {
        Instant now = Instant.now();
        Image stored = new Image(image.name(), image.target(), image.labels(), now, now);
        if (images.putIfAbsent(image.name(), stored) != null) {
            throw HawserException.alreadyExists("image " + image.name());
        }
        return stored;
    }

    @Override
    public Image update(Image image) throws IOException {
        Image old = images.get(image.name());
        if (old == null) {
            throw HawserException.notFound("image " + image.name());
        }
        Image stored = new Image(image.name(), image.target(), image.labels(), old.created(), Instant.now());
        images.put(image.name(), stored);
        return stored;
    }

    @Override
    public void delete(String name) throws IOException {
        if (images.remove(name) == null) {
            throw HawserException.notFound("image " + name);
        }
    }
}
