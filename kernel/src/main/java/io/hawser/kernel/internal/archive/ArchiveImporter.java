package io.hawser.kernel.internal.archive;

import io.hawser.kernel.internal.images.ImageClosure;
import io.hawser.kernel.internal.images.ImageJson;
import io.hawser.kernel.internal.tar.TarReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.content.BlobExistsException;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.ImportOptions;
import io.hawser.images.Reference;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.images.PlatformMatcher;

/**
 * Imports image archives: OCI image layouts in a tar, and what {@code docker save} writes. A
 * {@code docker save} of docker 25 or later is also an OCI layout; when an archive has an
 * {@code index.json} it is read as a layout, which keeps the image digests docker had.
 *
 * <p>The archive is read once, as a stream. Every {@code blobs/} entry goes straight into the
 * content store, verified against the digest its path names; the metadata files are small and
 * kept in memory; the other files of a classic {@code docker save} (layer tars, config JSON) are
 * kept in memory while small and otherwise written to the store under the digest of their bytes,
 * since {@code manifest.json}, which says what they are, may come last. Only when the archive has
 * ended and every blob an image needs is committed are the image records written, so a refused
 * archive records nothing; the blobs it committed are left to the garbage collector.
 */
public final class ArchiveImporter {

    /** Files outside {@code blobs/} up to this size stay in memory until the archive is read. */
    private static final int MAX_IN_MEMORY_FILE = 1024 * 1024;
    /** The most memory those files may take together; beyond it they go to the store. */
    private static final long IN_MEMORY_BUDGET = 64L * 1024 * 1024;
    private static final Set<String> METADATA = Set.of(LayoutPaths.OCI_LAYOUT, LayoutPaths.INDEX,
            LayoutPaths.DOCKER_MANIFEST, LayoutPaths.DOCKER_REPOSITORIES);
    private static final String OCI_LAYOUT_VERSION = "1.0.0";

    private final ContentStore content;
    private final ImageStore images;

    public ArchiveImporter(ContentStore content, ImageStore images) {
        this.content = Objects.requireNonNull(content, "content");
        this.images = Objects.requireNonNull(images, "images");
    }

    /**
     * Imports an archive, naming images the archive names only by a tag or not at all with the
     * options' base name.
     *
     * @see #importArchive(InputStream, ImportOptions, String)
     */
    public List<Image> importArchive(InputStream archive, ImportOptions options) throws IOException {
        return importArchive(archive, options, options.baseName());
    }

    /**
     * Reads an archive, stores its blobs and records its images, replacing records of the same
     * names (their labels are kept). The stream is read to the end of the archive and not closed.
     *
     * @param options  with a platform, a multi-platform image must have that platform's content
     *                 in the archive; without, every platform the archive holds is kept
     * @param baseName the repository that completes names the archive gives only as a tag
     *                 ({@code baseName:tag}) or not at all ({@code baseName@digest}); empty to
     *                 skip such images
     * @return the images recorded, in the order the archive lists them
     * @throws HawserException {@code INVALID_ARGUMENT} naming the entry or file when the archive is
     *                         not a tar, has an entry that is a link or reaches outside the
     *                         archive, has malformed or missing metadata, lacks a blob an image
     *                         needs, or names no image
     * @throws HawserException {@code FAILED_PRECONDITION} naming the entry when a blob's bytes do
     *                         not match the digest its path names
     */
    public List<Image> importArchive(InputStream archive, ImportOptions options, String baseName) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(baseName, "baseName");
        if (!baseName.isEmpty()) {
            // normalized like every reference, so `--base-name busybox` names docker.io/library/busybox:TAG
            Reference base = Reference.parse(baseName);
            if (baseName.endsWith(":" + base.tag()) || base.digest() != null) {
                throw HawserException.invalidArgument("base name '" + baseName + "' must be a repository name without tag or digest");
            }
            baseName = base.name();
        }
        ArchiveFiles files = readArchive(archive);
        Map<String, Descriptor> targets;
        if (files.memory.containsKey(LayoutPaths.INDEX)) {
            targets = ociTargets(files, options, baseName);
        } else if (files.memory.containsKey(LayoutPaths.DOCKER_MANIFEST)) {
            targets = dockerTargets(files, baseName);
        } else {
            throw HawserException.invalidArgument("archive has neither " + LayoutPaths.INDEX + " (OCI image layout) nor "
                    + LayoutPaths.DOCKER_MANIFEST + " (docker save)");
        }
        if (targets.isEmpty()) {
            throw HawserException.invalidArgument("archive names no image: give a base name (--base-name) for images named only by a tag or not at all");
        }
        List<Image> recorded = new ArrayList<>();
        for (Map.Entry<String, Descriptor> target : targets.entrySet()) {
            recorded.add(record(target.getKey(), target.getValue()));
        }
        return recorded;
    }

    // ---- reading the tar

    /** A file of the archive outside {@code blobs/}: its bytes, or the blob they were stored as. */
    private sealed interface ArchiveFile {}

    private record InMemory(byte[] data) implements ArchiveFile {}

    /** @param head the first bytes, to tell compressed layers from plain ones */
    private record InStore(Digest digest, long size, byte[] head) implements ArchiveFile {}

    /**
     * What the tar held.
     *
     * @param memory files kept in memory, by cleaned path
     * @param stored files and blobs in the content store, by cleaned path
     */
    private record ArchiveFiles(Map<String, byte[]> memory, Map<String, InStore> stored) {

        Optional<ArchiveFile> get(String path) {
            byte[] data = memory.get(path);
            return data != null ? Optional.of(new InMemory(data)) : Optional.ofNullable(stored.get(path));
        }
    }

    private ArchiveFiles readArchive(InputStream archive) throws IOException {
        ArchiveFiles files = new ArchiveFiles(new HashMap<>(), new HashMap<>());
        long inMemory = 0;
        TarReader tar = new TarReader(archive);
        for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
            String path = LayoutPaths.clean(entry.name());
            switch (entry.kind()) {
                case DIRECTORY -> {
                    continue;
                }
                case SYMLINK, HARD_LINK -> throw HawserException.invalidArgument("archive entry '" + entry.name()
                        + "' is a link; image archives hold only files and directories");
                case CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER -> throw HawserException.invalidArgument("archive entry '" + entry.name()
                        + "' has tar type '" + entry.typeFlag() + "'; image archives hold only files and directories");
                case FILE -> { }
            }
            if (files.memory.containsKey(path) || files.stored.containsKey(path)) {
                throw HawserException.invalidArgument("archive has entry '" + path + "' twice");
            }
            Optional<Digest> blob = LayoutPaths.blobDigest(path);
            if (blob.isPresent()) {
                files.stored.put(path, storeBlob(path, entry.size(), blob.get(), tar.content()));
            } else if (METADATA.contains(path)) {
                if (entry.size() > ImageJson.MAX_JSON_SIZE) {
                    throw HawserException.invalidArgument("archive entry '" + path + "' is " + entry.size()
                            + " bytes, more than the " + ImageJson.MAX_JSON_SIZE + " accepted");
                }
                files.memory.put(path, tar.content().readAllBytes());
            } else if (entry.size() <= MAX_IN_MEMORY_FILE && inMemory + entry.size() <= IN_MEMORY_BUDGET) {
                inMemory += entry.size();
                files.memory.put(path, tar.content().readAllBytes());
            } else {
                files.stored.put(path, storeBlob(path, entry.size(), null, tar.content()));
            }
        }
        return files;
    }

    /**
     * Copies an archive file into the content store, verified against the expected digest when there is
     * one. A mismatch or a broken-off archive discards the ingest.
     */
    private InStore storeBlob(String path, long size, Digest expected, InputStream in) throws IOException {
        // a ref of its own: concurrent imports of one blob must not find each other's ingest busy
        String ref = "import-" + UUID.randomUUID();
        byte[] head = new byte[4];
        int headLength = 0;
        ContentWriter writer;
        try {
            writer = content.writer(ref, size, expected);
        } catch (BlobExistsException e) {
            return new InStore(e.digest(), size, headOf(e.digest()));
        }
        try (writer) {
            byte[] buffer = new byte[128 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (headLength < head.length) {
                    int take = Math.min(head.length - headLength, n);
                    System.arraycopy(buffer, 0, head, headLength, take);
                    headLength += take;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    writer.write(bytes);
                }
            }
            Digest digest = writer.commit(size, expected, Map.of());
            return new InStore(digest, size, head);
        } catch (BlobExistsException e) {
            return new InStore(e.digest(), size, head);
        } catch (IOException | RuntimeException e) {
            abortQuietly(ref, e);
            if (e instanceof HawserException h && h.code() == ErrorCode.FAILED_PRECONDITION) {
                throw new HawserException(ErrorCode.FAILED_PRECONDITION, "archive entry '" + path
                        + "' does not hold the blob its name says: " + h.getMessage(), h);
            }
            throw e;
        }
    }

    /** The first bytes of a committed blob, read back when the store already had it. */
    private byte[] headOf(Digest digest) throws IOException {
        try (var channel = content.reader(digest)) {
            ByteBuffer head = ByteBuffer.allocate(4);
            while (head.hasRemaining() && channel.read(head) > 0) {
                // keep reading until four bytes or the end
            }
            return head.array();
        }
    }

    private void abortQuietly(String ref, Exception failure) {
        try {
            content.abort(ref);
        } catch (IOException | RuntimeException e) {
            // the ingest is stale either way and the garbage collector removes it; the first failure matters
            failure.addSuppressed(e);
        }
    }

    // ---- OCI image layout

    private Map<String, Descriptor> ociTargets(ArchiveFiles files, ImportOptions options, String baseName) throws IOException {
        byte[] layout = files.memory.get(LayoutPaths.OCI_LAYOUT);
        if (layout == null) {
            throw HawserException.invalidArgument("archive has " + LayoutPaths.INDEX + " but no " + LayoutPaths.OCI_LAYOUT + " file");
        }
        String version = ImageJson.parseObject(layout, LayoutPaths.OCI_LAYOUT).path("imageLayoutVersion").asText("");
        if (!version.equals(OCI_LAYOUT_VERSION)) {
            throw HawserException.invalidArgument(LayoutPaths.OCI_LAYOUT + " has imageLayoutVersion '" + version
                    + "', only " + OCI_LAYOUT_VERSION + " is known");
        }
        JsonNode index = ImageJson.parseObject(files.memory.get(LayoutPaths.INDEX), LayoutPaths.INDEX);
        JsonNode schemaVersion = index.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.asInt() != 2) {
            throw HawserException.invalidArgument(LayoutPaths.INDEX + " has schemaVersion " + schemaVersion + ", only 2 is known");
        }
        Map<String, Descriptor> targets = new LinkedHashMap<>();
        for (Descriptor entry : ImageJson.descriptors(index, "manifests", LayoutPaths.INDEX)) {
            Optional<String> name = ImageNames.fromIndexEntry(entry, baseName);
            if (name.isEmpty()) {
                continue;
            }
            // annotations belong to index.json, not to the image's own descriptor
            Descriptor target = new Descriptor(entry.mediaType(), entry.digest(), entry.size(), Map.of(), entry.urls(), entry.platform());
            requireContent(target, name.get(), options.platform());
            Descriptor earlier = targets.putIfAbsent(name.get(), target);
            if (earlier != null && !earlier.digest().equals(target.digest())) {
                throw HawserException.invalidArgument(LayoutPaths.INDEX + " names image " + name.get()
                        + " twice, for " + earlier.digest() + " and " + target.digest());
            }
        }
        return targets;
    }

    /** Refuses an image whose content the archive did not bring completely. */
    private void requireContent(Descriptor target, String name, Platform platform) throws IOException {
        ImageClosure closure;
        try {
            closure = ImageClosure.of(content, target, name);
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                throw HawserException.invalidArgument("archive is incomplete: " + e.getMessage());
            }
            throw e;
        }
        if (platform != null && closure.best(PlatformMatcher.of(platform)).isEmpty()) {
            throw HawserException.invalidArgument("archive has no content for platform " + platform + " of image " + name);
        }
    }

    // ---- docker save

    /**
     * Builds a Docker schema 2 manifest for each {@code manifest.json} entry from the config and
     * layer files it names; the config bytes are kept as they are, so the image ID docker showed
     * (the config digest) stays the same.
     */
    private Map<String, Descriptor> dockerTargets(ArchiveFiles files, String baseName) throws IOException {
        String where = LayoutPaths.DOCKER_MANIFEST;
        JsonNode list = ImageJson.parse(files.memory.get(LayoutPaths.DOCKER_MANIFEST), where);
        if (!list.isArray()) {
            throw HawserException.invalidArgument(where + " must be a JSON array");
        }
        Map<String, Descriptor> targets = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + ": [" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject()) {
                throw HawserException.invalidArgument(at + " must be an object");
            }
            String configPath = ImageJson.text(item, "Config", at);
            InStore configBlob = stored(files, configPath, at + ".Config");
            JsonNode config = ImageJson.readObjectBlob(content, configBlob.digest(), "config " + configPath);
            Platform platform = ImageJson.platform(config, "config " + configPath);
            JsonNode layerPaths = item.get("Layers");
            if (layerPaths == null || !layerPaths.isArray()) {
                throw HawserException.invalidArgument(at + ".Layers must be an array");
            }
            int diffIds = config.path("rootfs").path("diff_ids").size();
            if (diffIds != layerPaths.size()) {
                throw HawserException.invalidArgument(at + " lists " + layerPaths.size() + " layers but config "
                        + configPath + " has " + diffIds + " diff_ids");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int l = 0; l < layerPaths.size(); l++) {
                String layerPath = layerPaths.get(l).asText("");
                InStore layer = stored(files, layerPath, at + ".Layers[" + l + "]");
                layers.add(new Descriptor(layerMediaType(layer.head()), layer.digest(), layer.size()));
            }
            Descriptor manifest = writeDockerManifest(new Descriptor(MediaTypes.DOCKER_CONFIG, configBlob.digest(), configBlob.size()), layers, platform);
            List<String> names = new ArrayList<>();
            item.path("RepoTags").forEach(tag -> names.add(tag.asText()));
            if (names.isEmpty() && !baseName.isEmpty()) {
                names.add(baseName + "@" + manifest.digest());
            }
            for (String name : names) {
                if (name.isBlank()) {
                    throw HawserException.invalidArgument(at + ".RepoTags has an empty name");
                }
                targets.put(name, manifest);
            }
        }
        return targets;
    }

    /** The blob a manifest.json path names, written to the store now if it was held in memory. */
    private InStore stored(ArchiveFiles files, String path, String where) throws IOException {
        ArchiveFile file = files.get(LayoutPaths.clean(path)).orElseThrow(() -> HawserException.invalidArgument(
                where + " names '" + path + "', which the archive lacks"));
        return switch (file) {
            case InStore blob -> blob;
            case InMemory(byte[] data) -> {
                yield storeBlob(path, data.length, Digest.sha256(data), new ByteArrayInputStream(data));
            }
        };
    }

    /**
     * Docker's layer types say whether a tar is compressed; the bytes tell. zstd has no Docker
     * type, so it gets the OCI one, which containerd and docker read in either manifest kind.
     */
    private static String layerMediaType(byte[] head) {
        if ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return MediaTypes.DOCKER_LAYER_GZIP;
        }
        if ((head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
            return MediaTypes.OCI_LAYER_ZSTD;
        }
        return MediaTypes.DOCKER_LAYER;
    }

    private Descriptor writeDockerManifest(Descriptor config, List<Descriptor> layers, Platform platform) throws IOException {
        ObjectNode manifest = ImageJson.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.set("config", ImageJson.toJson(config));
        var layerArray = manifest.putArray("layers");
        layers.forEach(layer -> layerArray.add(ImageJson.toJson(layer)));
        byte[] bytes = ImageJson.bytes(manifest);
        Digest digest = Digest.sha256(bytes);
        storeBlob("manifest for " + config.digest(), bytes.length, digest, new ByteArrayInputStream(bytes));
        return new Descriptor(MediaTypes.DOCKER_MANIFEST, digest, bytes.length, Map.of(), List.of(), platform);
    }

    // ---- records

    private Image record(String name, Descriptor target) throws IOException {
        Instant now = Instant.now();
        Optional<Image> existing = images.get(name);
        if (existing.isPresent()) {
            Image old = existing.get();
            return images.update(new Image(name, target, old.labels(), old.created(), now));
        }
        try {
            return images.create(new Image(name, target, Map.of(), now, now));
        } catch (HawserException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            // another import or pull recorded the name meanwhile: replace it as if it had been there
            Image old = images.get(name).orElseThrow(() -> e);
            return images.update(new Image(name, target, old.labels(), old.created(), now));
        }
    }
}
