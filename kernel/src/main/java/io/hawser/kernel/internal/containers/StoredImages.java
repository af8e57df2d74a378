package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;
import io.hawser.images.Reference;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.images.ImageJson;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Snapshotters;

/**
 * {@link Images} from the daemon's image store, image service and content store, for this host's
 * platform. The image service is got on first use: it opens every snapshotter when it starts,
 * which a daemon that only supervises running containers need not pay for.
 *
 * <p>What an image's target resolves to is remembered: content is addressed by its digest, so a
 * digest's manifest, configuration and layers never change, and every container of an image would
 * otherwise read and parse the same blobs again (three times per container, milliseconds of each
 * {@code run}). So is which snapshotters hold an image unpacked, checked again with one
 * {@code stat} of the top snapshot each time, since an image can be removed and its snapshots
 * collected meanwhile.
 */
public final class StoredImages implements Images {

    /** How many resolutions and unpacked images are remembered, the least recently used forgotten first. */
    static final int REMEMBERED = 64;

    private final ImageStore store;
    private final Supplier<ImageService> services;
    private final ContentStore content;
    private final Snapshotters snapshotters;
    private ImageService service;
    /** By image target. Guarded by itself. */
    private final Map<Digest, Resolution> resolutions = new LeastRecentlyUsed<>(REMEMBERED);
    /** Snapshotter id and image target of the images unpacked, to the top snapshot. Guarded by itself. */
    private final Map<String, String> unpacked = new LeastRecentlyUsed<>(REMEMBERED);

    /** An image resolved for this host: its parts and its configuration document, which nobody may change. */
    private record Resolution(ResolvedImage image, JsonNode config) {}

    public StoredImages(ImageStore store, Supplier<ImageService> services, ContentStore content, Snapshotters snapshotters) {
        this.store = store;
        this.services = services;
        this.content = content;
        this.snapshotters = snapshotters;
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
        return resolve(image).config();
    }

    @Override
    public String unpack(Image image, String snapshotter) throws IOException {
        ResolvedImage resolved = resolve(image).image();
        if (resolved.layers().isEmpty()) {
            return "";
        }
        String key = snapshotter + " " + image.target().digest();
        String top;
        synchronized (unpacked) {
            top = unpacked.get(key);
        }
        if (top != null && isCommitted(snapshotter, top)) {
            return top;
        }
        top = service().unpack(image, Platform.host(), snapshotter).toString();
        synchronized (unpacked) {
            unpacked.put(key, top);
        }
        return top;
    }

    private Resolution resolve(Image image) throws IOException {
        Digest target = image.target().digest();
        synchronized (resolutions) {
            Resolution known = resolutions.get(target);
            if (known != null) {
                return known;
            }
        }
        ResolvedImage resolved = service().resolve(image, Platform.host());
        Resolution resolution = new Resolution(resolved,
                ImageJson.readObjectBlob(content, resolved.config().digest(), "config of image " + image.name()));
        synchronized (resolutions) {
            resolutions.put(target, resolution);
        }
        return resolution;
    }

    private boolean isCommitted(String snapshotter, String name) throws IOException {
        try {
            return snapshotters.get(snapshotter).stat(name).kind() == Kind.COMMITTED;
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
