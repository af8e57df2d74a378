package io.hawser.kernel.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.ExportOptions;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImportOptions;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.StoreTestBase;
import io.hawser.kernel.internal.content.LocalContentStore;
import io.hawser.kernel.internal.metadata.SqliteImageStore;
import org.junit.jupiter.api.Test;

/** Images for containers from a real image store and content store, and an image service that resolves to fixed parts. */
class StoredImagesTest extends StoreTestBase {

    private static final Digest LAYER_DIFF = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));

    private SqliteImageStore store;
    private LocalContentStore content;
    private final AtomicInteger servicesGot = new AtomicInteger();
    private final AtomicInteger unpacks = new AtomicInteger();
    private final AtomicInteger resolves = new AtomicInteger();
    private CopySnapshotter overlay;
    private Descriptor config;
    private List<Descriptor> layers = List.of();

    @Override
    protected void openStores() throws IOException {
        store = new SqliteImageStore(metadata, clock);
        content = new LocalContentStore(root, metadata, clock);
        byte[] json = "{\"config\":{\"Cmd\":[\"sh\"],\"StopSignal\":\"SIGINT\"}}".getBytes(StandardCharsets.UTF_8);
        try (ContentWriter writer = content.writer("config", json.length, Digest.sha256(json))) {
            writer.write(ByteBuffer.wrap(json));
            config = new Descriptor(MediaTypes.OCI_CONFIG, writer.commit(json.length, Digest.sha256(json), Map.of()), json.length);
        }
    }

    private StoredImages images() {
        overlay = new CopySnapshotter(root.resolve("snapshots"));
        return new StoredImages(store, () -> {
            servicesGot.incrementAndGet();
            return new ResolvingImageService();
        }, content, new FakeSnapshotters(Map.of("overlay", overlay), "overlay"));
    }

    private Image record(String name) throws IOException {
        return store.create(new Image(name, new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(name.getBytes(StandardCharsets.UTF_8)), 1),
                Map.of(), Instant.EPOCH, Instant.EPOCH));
    }

    @Test
    void findsRecordedNamesAsWrittenOrNormalized() throws IOException {
        Image busybox = record("docker.io/library/busybox:latest");
        Image archived = record("my archive name");
        StoredImages images = images();

        assertEquals(busybox, images.find("busybox"));
        assertEquals(busybox, images.find("docker.io/library/busybox:latest"));
        assertEquals(archived, images.find("my archive name"));
        HawserException missing = assertThrows(HawserException.class, () -> images.find("alpine"));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertEquals("image docker.io/library/alpine:latest not found", missing.getMessage());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> images.find("Not A Reference")).code());
        assertEquals(0, servicesGot.get(), "finding needs no image service");
    }

    @Test
    void readsTheConfigAndUnpacksOnlyImagesWithLayers() throws IOException {
        Image empty = record("docker.io/library/scratch:latest");
        StoredImages images = images();

        assertEquals("SIGINT", images.config(empty).at("/config/StopSignal").asText());
        assertEquals("", images.unpack(empty, "overlay"));
        assertEquals(0, unpacks.get());
        layers = List.of(new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(new byte[] {1}), 1));
        Image busybox = record("docker.io/library/busybox:latest");
        assertEquals(LAYER_DIFF.toString(), images.unpack(busybox, "overlay"));
        assertEquals(1, unpacks.get());
        assertEquals(1, servicesGot.get(), "the image service is got once");
    }

    @Test
    void resolvesATargetOnceAndUnpacksAgainOnlyWhenItsTopSnapshotIsGone() throws IOException {
        layers = List.of(new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(new byte[] {1}), 1));
        Image busybox = record("docker.io/library/busybox:latest");
        StoredImages images = images();

        images.config(busybox);
        images.unpack(busybox, "overlay");
        overlay.commitLayer(LAYER_DIFF.toString(), Map.of());
        images.config(busybox);
        assertEquals(LAYER_DIFF.toString(), images.unpack(busybox, "overlay"));
        assertEquals(1, resolves.get(), "an image target's parts never change: resolved once");
        assertEquals(1, unpacks.get(), "the top snapshot is there: not unpacked again");

        overlay.remove(LAYER_DIFF.toString());
        assertEquals(LAYER_DIFF.toString(), images.unpack(busybox, "overlay"));
        assertEquals(2, unpacks.get(), "the snapshots were collected meanwhile: unpacked again");
    }

    /** Resolves every image to the test's config and layers; unpacks by counting. */
    private final class ResolvingImageService implements ImageService {
        @Override
        public ResolvedImage resolve(Image image, Platform platform) {
            resolves.incrementAndGet();
            return parts(image, platform);
        }

        @Override
        public Digest unpack(Image image, Platform platform, String snapshotter) {
            unpacks.incrementAndGet();
            return parts(image, platform).chainId();
        }

        private ResolvedImage parts(Image image, Platform platform) {
            return new ResolvedImage(platform, image.target(), config, layers, layers.isEmpty() ? List.of() : List.of(LAYER_DIFF));
        }

        @Override
        public Image pull(String reference, PullOptions options) {
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
    }
}
