package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.ContentStore;
import io.hawser.errors.HawserException;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;
import io.hawser.images.Reference;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.images.ImageJson;

/**
 * {@link Images} from the daemon's image store, image service and content store, for this host's
 * platform. The image service is got on first use: it opens every snapshotter when it starts,
 * which a daemon that only supervises running containers need not pay for.
 */
public final class StoredImages implements Images {

    private final ImageStore store;
    private final Supplier<ImageService> services;
    private final ContentStore content;
    private ImageService service;

    public StoredImages(ImageStore store, Supplier<ImageService> services, ContentStore content) {
        this.store = store;
        this.services = services;
        this.content = content;
    }

    private synchronized ImageService service() {
        if (service == null) {
            service = services.get();
        }
        return service;
    }

    @Override
    public Image find(String reference) throws IOException {
        Optional<Image> image = store.get(reference);
        if (image.isPresent()) {
            return image.get();
        }
        String normalized;
        try {
            normalized = Reference.parse(reference).toString();
        } catch (HawserException notAReference) {
            // an imported archive may record names that are no references; this one is not recorded either
            throw HawserException.notFound("image " + reference);
        }
        return store.get(normalized).orElseThrow(() -> HawserException.notFound("image " + normalized));
    }

    @Override
    public JsonNode config(Image image) throws IOException {
        ResolvedImage resolved = service().resolve(image, Platform.host());
        return ImageJson.readObjectBlob(content, resolved.config().digest(), "config of image " + image.name());
    }

    @Override
    public String unpack(Image image, String snapshotter) throws IOException {
        if (service().resolve(image, Platform.host()).layers().isEmpty()) {
            return "";
        }
        return service().unpack(image, Platform.host(), snapshotter).toString();
    }
}
