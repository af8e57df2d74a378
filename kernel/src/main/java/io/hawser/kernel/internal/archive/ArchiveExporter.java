package io.hawser.kernel.internal.archive;

import io.hawser.kernel.internal.images.ImageClosure;
import io.hawser.kernel.internal.images.ImageJson;
import io.hawser.kernel.internal.tar.TarWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.ArchiveFormat;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.images.PlatformMatcher;

/**
 * Exports images to a tar archive: an OCI image layout, or a {@code docker save} archive. The
 * docker archive is an OCI layout too, with {@code manifest.json} pointing at the layout's blobs,
 * as docker 25 and later write it; {@code docker load} of any version reads the paths it is
 * given, compressed layers included.
 *
 * <p>The output is reproducible: entries sorted by name, modification times 0, owner 0, images
 * listed by name, JSON written with fixed field order. Exporting the same images twice gives the
 * same bytes.
 */
public final class ArchiveExporter {

    private final ContentStore content;
    private final ImageStore images;

    public ArchiveExporter(ContentStore content, ImageStore images) {
        this.content = Objects.requireNonNull(content, "content");
        this.images = Objects.requireNonNull(images, "images");
    }

    /**
     * Writes images and their blobs to an archive. The stream is not closed.
     *
     * <p>An OCI layout without a platform in the options keeps each image's target, an index
     * with every platform whose content is in the store; with a platform, each image is exported
     * as the one manifest that suits it, so the layout holds everything it names. A docker archive
     * always holds one platform per image, the requested one or the host's, because
     * {@code manifest.json} describes single-platform images only.
     *
     * @param names the images to export
     * @throws HawserException {@code INVALID_ARGUMENT} when no name is given
     * @throws HawserException {@code NOT_FOUND} when an image does not exist, has no manifest for
     *                         the platform, or a blob it needs is missing
     * @throws HawserException {@code UNIMPLEMENTED} for a docker archive of an image with foreign
     *                         layers, which Hawser does not export
     */
    public void exportArchive(List<String> names, OutputStream archive, ExportOptions options) throws IOException {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(options, "options");
        if (names.isEmpty()) {
            throw HawserException.invalidArgument("no image to export");
        }
        boolean docker = options.format() == ArchiveFormat.DOCKER_ARCHIVE;
        Platform platform = docker && options.platform() == null ? Platform.host() : options.platform();
        Map<Digest, Descriptor> blobs = new TreeMap<>();
        ArrayNode indexEntries = ImageJson.MAPPER.createArrayNode();
        Map<Digest, DockerEntry> dockerEntries = new LinkedHashMap<>();
        for (String name : new TreeSet<>(names)) {
            Image image = images.get(name).orElseThrow(() -> HawserException.notFound("image " + name));
            ImageClosure closure = ImageClosure.of(content, image.target(), name);
            Descriptor exported = image.target();
            List<Descriptor> exportedBlobs = closure.blobs();
            if (platform != null) {
                exported = closure.best(PlatformMatcher.of(platform)).orElseThrow(
                        () -> HawserException.notFound("manifest for platform " + platform + " of image " + name));
                ImageClosure.ManifestContent manifest = ImageClosure.manifest(content, exported, name);
                exportedBlobs = manifest.blobs();
                if (docker) {
                    dockerEntries.computeIfAbsent(exported.digest(), d -> new DockerEntry(manifest, new ArrayList<>())).names().add(name);
                }
            }
            exportedBlobs.forEach(b -> blobs.putIfAbsent(b.digest(), b));
            indexEntries.add(ImageJson.toJson(indexEntry(exported, name)));
        }
        // built before the first byte is written, so a refusal leaves the stream untouched
        byte[] dockerManifest = docker ? ImageJson.bytes(dockerManifest(dockerEntries)) : null;
        TarWriter tar = new TarWriter(archive);
        writeBlobs(tar, blobs);
        ObjectNode index = ImageJson.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.set("manifests", indexEntries);
        tar.file(LayoutPaths.INDEX, ImageJson.bytes(index));
        if (docker) {
            tar.file(LayoutPaths.DOCKER_MANIFEST, dockerManifest);
        }
        ObjectNode layout = ImageJson.MAPPER.createObjectNode();
        layout.put("imageLayoutVersion", "1.0.0");
        tar.file(LayoutPaths.OCI_LAYOUT, ImageJson.bytes(layout));
        tar.finish();
    }

    /** @param names the images with this manifest, for its RepoTags */
    private record DockerEntry(ImageClosure.ManifestContent manifest, List<String> names) {}

    /**
     * The descriptor index.json lists for an image: the whole name for containerd and docker, the
     * tag as {@code ref.name} for tools that read a layout by tag (skopeo, umoci).
     */
    private static Descriptor indexEntry(Descriptor target, String name) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ImageNames.CONTAINERD_IMAGE_NAME, name);
        annotations.put(ImageNames.OCI_REF_NAME, ImageNames.tag(name).orElse(name));
        return new Descriptor(target.mediaType(), target.digest(), target.size(), annotations, target.urls(), target.platform());
    }

    /** The blobs in digest order, which is also their entry-name order, under their directories. */
    private void writeBlobs(TarWriter tar, Map<Digest, Descriptor> blobs) throws IOException {
        tar.directory(LayoutPaths.BLOBS);
        String directory = null;
        for (Digest digest : blobs.keySet()) {
            String algorithmDirectory = LayoutPaths.BLOBS + digest.algorithm().label() + "/";
            if (!algorithmDirectory.equals(directory)) {
                directory = algorithmDirectory;
                tar.directory(directory);
            }
            try (SeekableByteChannel channel = content.reader(digest);
                 InputStream in = Channels.newInputStream(channel)) {
                tar.file(LayoutPaths.blobPath(digest), channel.size(), in);
            }
        }
    }

    /** {@code manifest.json}: per manifest its config, its image names and its layers, by path. */
    private static ArrayNode dockerManifest(Map<Digest, DockerEntry> entries) throws HawserException {
        ArrayNode list = ImageJson.MAPPER.createArrayNode();
        for (DockerEntry entry : entries.values()) {
            ObjectNode item = list.addObject();
            item.put("Config", LayoutPaths.blobPath(entry.manifest().config().digest()));
            ArrayNode tags = item.putArray("RepoTags");
            // docker refuses digest references among RepoTags
            entry.names().stream().filter(n -> !ImageNames.hasDigest(n)).forEach(tags::add);
            ArrayNode layers = item.putArray("Layers");
            for (Descriptor layer : entry.manifest().layers()) {
                if (MediaTypes.isForeign(layer.mediaType())) {
                    throw HawserException.unimplemented("docker archive of manifest " + entry.manifest().manifest().digest()
                            + ": foreign layer " + layer.digest() + " is not exported");
                }
                layers.add(LayoutPaths.blobPath(layer.digest()));
            }
        }
        return list;
    }
}
