package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.MediaTypes;
import io.hawser.images.PlatformMatcher;

/**
 * What of an image the content store holds: the indexes and the complete manifests reachable from
 * its target, and every blob they need. A manifest is complete when its config (valid JSON) and
 * every layer that is not foreign are in the store. A multi-platform image keeps the platforms
 * that are complete and drops the others, the way a pull of one platform leaves an index whose
 * other manifests were never fetched.
 *
 * @param root      the image's target
 * @param manifests the complete manifests, each with the platform its index gives it (none for
 *                  a target that is a manifest)
 * @param blobs     every blob needed, root first, each once
 */
public record ImageClosure(Descriptor root, List<Descriptor> manifests, List<Descriptor> blobs) {

    /** Indexes nest rarely and shallowly; a deeper chain is a malformed or hostile image. */
    private static final int MAX_INDEX_DEPTH = 4;

    /**
     * Walks an image.
     *
     * @param image names the image in messages
     * @throws HawserException {@code NOT_FOUND} when the target or a blob of a target manifest is
     *                         missing, or an index has no complete manifest;
     *                         {@code INVALID_ARGUMENT} when a manifest or index is malformed or
     *                         of an unknown media type, or an index contains itself
     */
    public static ImageClosure of(ContentStore store, Descriptor root, String image) throws IOException {
        List<Descriptor> manifests = new ArrayList<>();
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        if (MediaTypes.isManifest(root.mediaType())) {
            manifests.add(root);
            addManifest(store, root, image, blobs);
        } else if (MediaTypes.isIndex(root.mediaType())) {
            requirePresent(store, root.digest(), "index " + root.digest() + " of image " + image);
            addIndex(store, root, image, blobs, manifests, new HashSet<>(), 0);
            if (manifests.isEmpty()) {
                throw HawserException.notFound("complete manifest for any platform of image " + image);
            }
        } else {
            throw HawserException.invalidArgument("image " + image + " has target " + root.digest()
                    + " of unknown media type " + root.mediaType());
        }
        return new ImageClosure(root, List.copyOf(manifests), List.copyOf(blobs.values()));
    }

    /** The complete manifest the matcher prefers. */
    public Optional<Descriptor> best(PlatformMatcher matcher) {
        if (MediaTypes.isManifest(root.mediaType())) {
            // a single-manifest image is whatever platform it is; nothing to choose between
            return Optional.of(root);
        }
        return matcher.best(manifests, Descriptor::platform);
    }

    /**
     * A manifest's parts.
     *
     * @param manifest the manifest's descriptor
     * @param config   its config
     * @param layers   its layers, bottom first, foreign ones included
     */
    public record ManifestContent(Descriptor manifest, Descriptor config, List<Descriptor> layers) {

        /** The blobs the manifest needs in the store: itself, its config, its layers but the foreign ones. */
        public List<Descriptor> blobs() {
            List<Descriptor> blobs = new ArrayList<>(List.of(manifest, config));
            layers.stream().filter(l -> !MediaTypes.isForeign(l.mediaType())).forEach(blobs::add);
            return blobs;
        }
    }

    /**
     * Reads a manifest and checks that the store has its parts.
     *
     * @throws HawserException {@code NOT_FOUND} naming the missing blob
     */
    public static ManifestContent manifest(ContentStore store, Descriptor manifest, String image) throws IOException {
        String what = "manifest " + manifest.digest() + " of image " + image;
        requirePresent(store, manifest.digest(), what);
        JsonNode json = ImageJson.readObjectBlob(store, manifest.digest(), what);
        Descriptor config = ImageJson.descriptor(json.get("config"), what + ": config");
        List<Descriptor> layers = ImageJson.descriptors(json, "layers", what);
        String configWhat = "config " + config.digest() + " of " + what;
        requirePresent(store, config.digest(), configWhat);
        ImageJson.readObjectBlob(store, config.digest(), configWhat);
        for (Descriptor layer : layers) {
            if (!MediaTypes.isForeign(layer.mediaType())) {
                requirePresent(store, layer.digest(), "layer " + layer.digest() + " of " + what);
            }
        }
        return new ManifestContent(manifest, config, layers);
    }

    private static void addManifest(ContentStore store, Descriptor manifest, String image, Map<Digest, Descriptor> blobs) throws IOException {
        for (Descriptor blob : manifest(store, manifest, image).blobs()) {
            blobs.putIfAbsent(blob.digest(), blob);
        }
    }

    private static void addIndex(ContentStore store, Descriptor index, String image, Map<Digest, Descriptor> blobs,
                                 List<Descriptor> manifests, Set<Digest> path, int depth) throws IOException {
        String what = "index " + index.digest() + " of image " + image;
        if (!path.add(index.digest()) || depth > MAX_INDEX_DEPTH) {
            throw HawserException.invalidArgument(what + " refers to itself or nests deeper than " + MAX_INDEX_DEPTH + " levels");
        }
        JsonNode json = ImageJson.readObjectBlob(store, index.digest(), what);
        blobs.putIfAbsent(index.digest(), index);
        for (Descriptor child : ImageJson.descriptors(json, "manifests", what)) {
            if (MediaTypes.isIndex(child.mediaType())) {
                if (present(store, child.digest())) {
                    addIndex(store, child, image, blobs, manifests, path, depth + 1);
                }
            } else if (MediaTypes.isManifest(child.mediaType())) {
                Map<Digest, Descriptor> childBlobs = new LinkedHashMap<>();
                if (completeManifest(store, child, image, childBlobs)) {
                    manifests.add(child);
                    childBlobs.forEach(blobs::putIfAbsent);
                }
            }
            // other children (signatures, attestations of unknown type) are not part of the image
        }
        path.remove(index.digest());
    }

    /** Adds a manifest of an index if all of it is present; a missing part drops the platform. */
    private static boolean completeManifest(ContentStore store, Descriptor manifest, String image, Map<Digest, Descriptor> blobs) throws IOException {
        try {
            addManifest(store, manifest, image, blobs);
            return true;
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static void requirePresent(ContentStore store, Digest digest, String what) throws IOException {
        if (!present(store, digest)) {
            throw HawserException.notFound(what);
        }
    }

    private static boolean present(ContentStore store, Digest digest) throws IOException {
        try {
            store.info(digest);
            return true;
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }
}
