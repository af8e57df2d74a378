package io.hawser.itest.registry;

import java.util.List;
import java.util.NoSuchElementException;

/** An image index (or Docker manifest list) and the per-platform images it lists. */
public record TestIndex(ImageFormat format, Blob index, List<TestImage> images) {

    public TestIndex {
        images = List.copyOf(images);
    }

    /** The image of a platform such as {@code linux/arm64}. */
    public TestImage image(String platform) {
        TestImage.Platform wanted = TestImage.Platform.parse(platform);
        return images.stream()
                .filter(image -> image.platform().os().equals(wanted.os())
                        && image.platform().architecture().equals(wanted.architecture()))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no image for " + platform + " in the index"));
    }
}
