package io.hawser.cri;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.content.ContentInfo;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.content.IngestStatus;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.ImportOptions;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.images.Reference;
import io.hawser.images.ResolvedImage;
import io.hawser.snapshots.Snapshotter;

/**
 * The kernel's image store, image service and content store in memory, as far as the CRI image
 * service uses them: a "registry" of images that pulls copy into the store.
 */
final class FakeImages implements ImageStore, ImageService, ContentStore {

    /** An image the fake registry serves: its manifest, config (with a user) and one layer. */
    record Published(Descriptor manifest, Descriptor config, byte[] configJson, ResolvedImage resolved) {}

    private final Map<String, Image> records = new TreeMap<>();
    private final Map<String, Published> registry = new ConcurrentHashMap<>();
    private final Map<Digest, Published> byManifest = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    /** The options of every pull, in order. */
    final List<PullOptions> pulls = new ArrayList<>();

    /** Publishes an image under a reference, with {@code user} as its config's User. */
    Published publish(String reference, String user) throws HawserException {
        byte[] config = ("{\"config\":{\"User\":\"" + user + "\"},\"rootfs\":{\"diff_ids\":[\"" + Digest.sha256(reference.getBytes(StandardCharsets.UTF_8))
                + "\"]},\"for\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
        Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
        byte[] manifestBytes = ("manifest of " + reference).getBytes(StandardCharsets.UTF_8);
        Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(manifestBytes), manifestBytes.length);
        Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(("layer of " + reference).getBytes(StandardCharsets.UTF_8)), 1000);
        ResolvedImage resolved = new ResolvedImage(Platform.LINUX_AMD64, manifest, configDescriptor, List.of(layer),
                List.of(Digest.sha256(reference.getBytes(StandardCharsets.UTF_8))));
        Published published = new Published(manifest, configDescriptor, config, resolved);
        registry.put(Reference.parse(reference).toString(), published);
        byManifest.put(manifest.digest(), published);
        return published;
    }

    /** Storage on the fixed roots of a default installation, with this snapshotter as the default. */
    static CriImageService.Storage storage(Snapshotter snapshotter) {
        return new CriImageService.Storage() {
            @Override
            public Snapshotter snapshotter() {
                return snapshotter;
            }

            @Override
            public Path snapshotterRoot() {
                return Path.of("/var/lib/hawser/io.hawser.snapshotter.overlay");
            }

            @Override
            public Path contentRoot() {
                return Path.of("/var/lib/hawser/content");
            }
        };
    }

    // ImageService

    @Override
    public synchronized Image pull(String reference, PullOptions options) throws IOException {
        pulls.add(options);
        String name = Reference.parse(reference).toString();
        Published published = registry.get(name);
        if (published == null) {
            throw HawserException.notFound("image " + name);
        }
        blobs.put(published.config().digest(), published.configJson());
        Image image = new Image(name, published.manifest(), Map.of(), Instant.now(), Instant.now());
        records.put(name, image);
        return image;
    }

    @Override
    public ResolvedImage resolve(Image image, Platform platform) throws IOException {
        Published published = byManifest.get(image.target().digest());
        if (published == null || !blobs.containsKey(published.config().digest())) {
            throw HawserException.notFound("manifest " + image.target().digest());
        }
        return published.resolved();
    }

    @Override
    public Digest unpack(Image image, Platform platform, String snapshotter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Image> importArchive(InputStream archive, ImportOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void exportArchive(List<String> names, OutputStream archive, ExportOptions options) {
        throw new UnsupportedOperationException();
    }

    // ImageStore

    @Override
    public synchronized Optional<Image> get(String name) {
        return Optional.ofNullable(records.get(name));
    }

    @Override
    public synchronized List<Image> list(Predicate<? super Image> filter) {
        return records.values().stream().filter(filter).map(Image.class::cast).toList();
    }

    @Override
    public synchronized Image create(Image image) throws IOException {
        if (records.putIfAbsent(image.name(), image) != null) {
            throw HawserException.alreadyExists("image " + image.name());
        }
        return image;
    }

    @Override
    public synchronized Image update(Image image) throws IOException {
        if (records.replace(image.name(), image) == null) {
            throw HawserException.notFound("image " + image.name());
        }
        return image;
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        if (records.remove(name) == null) {
            throw HawserException.notFound("image " + name);
        }
    }

    // ContentStore: only reading and walking

    @Override
    public ContentInfo info(Digest digest) throws IOException {
        byte[] blob = blobs.get(digest);
        if (blob == null) {
            throw HawserException.notFound("blob " + digest);
        }
        return new ContentInfo(digest, blob.length, Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    @Override
    public SeekableByteChannel reader(Digest digest) throws IOException {
        byte[] blob = blobs.get(digest);
        if (blob == null) {
            throw HawserException.notFound("blob " + digest);
        }
        Path copy = Files.write(Files.createTempFile("hawser-cri-blob-", ""), blob);
        return Files.newByteChannel(copy, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
    }

    @Override
    public void walk(Predicate<? super ContentInfo> filter, Consumer<? super ContentInfo> visitor) throws IOException {
        for (Digest digest : blobs.keySet()) {
            ContentInfo info = info(digest);
            if (filter.test(info)) {
                visitor.accept(info);
            }
        }
    }

    @Override
    public ContentWriter writer(String ref, long expectedSize, Digest expectedDigest) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(Digest digest) {
        blobs.remove(digest);
    }

    @Override
    public ContentInfo update(Digest digest, Map<String, String> labels) {
        throw new UnsupportedOperationException();
    }

    @Override
    public IngestStatus status(String ref) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<IngestStatus> statuses() {
        return List.of();
    }

    @Override
    public void abort(String ref) {
        throw new UnsupportedOperationException();
    }
}
