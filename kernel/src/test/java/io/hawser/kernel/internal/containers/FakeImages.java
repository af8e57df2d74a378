package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.MediaTypes;

/** Images whose one layer is a set of files, unpacked into a {@link CopySnapshotter}. */
final class FakeImages implements Images {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(Image image, JsonNode config, Map<String, String> files) {}

    private final Map<String, Entry> images = new ConcurrentHashMap<>();
    private final Map<String, CopySnapshotter> snapshotters;

    FakeImages(Map<String, CopySnapshotter> snapshotters) {
        this.snapshotters = snapshotters;
    }

    /**
     * Adds an image.
     *
     * @param config the image configuration's {@code config} object as JSON
     * @param files  the files of its one layer
     */
    Image add(String name, String config, Map<String, String> files) throws IOException {
        Digest manifest = Digest.sha256(name.getBytes());
        Image image = new Image(name, new Descriptor(MediaTypes.OCI_MANIFEST, manifest, 100), Map.of(), Instant.EPOCH, Instant.EPOCH);
        images.put(name, new Entry(image, JSON.readTree("{\"config\":" + config + "}"), files));
        return image;
    }

    /** The snapshot name an image's layer is unpacked as. */
    static String chain(Image image) {
        return "sha256:" + image.target().digest().hex();
    }

    @Override
    public Image find(String reference) throws IOException {
        Entry entry = images.get(reference);
        if (entry == null) {
            throw HawserException.notFound("image " + reference);
        }
        return entry.image();
    }

    @Override
    public JsonNode config(Image image) {
        return images.get(image.name()).config();
    }

    @Override
    public String unpack(Image image, String snapshotter) throws IOException {
        CopySnapshotter target = snapshotters.get(snapshotter);
        String chain = chain(image);
        if (!target.snapshots.containsKey(chain)) {
            target.commitLayer(chain, images.get(image.name()).files());
        }
        return chain;
    }
}
