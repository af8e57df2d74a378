package io.hawser.kernel.internal.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.hawser.content.CollectionReport;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.content.IngestStatus;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.MediaTypes;
import io.hawser.kernel.internal.content.LocalContentStore;
import io.hawser.kernel.internal.metadata.Leases;
import io.hawser.kernel.internal.metadata.SqliteImageStore;
import io.hawser.kernel.internal.StoreTestBase;
import org.junit.jupiter.api.Test;

class MarkSweepCollectorTest extends StoreTestBase {

    private static final Duration MAX_AGE = Duration.ofHours(24);

    private LocalContentStore store;
    private SqliteImageStore images;
    private Leases leases;
    private MarkSweepCollector collector;

    @Override
    protected void openStores() throws IOException {
        store = new LocalContentStore(root, metadata, clock);
        images = new SqliteImageStore(metadata, clock);
        leases = new Leases(metadata, clock);
        collector = new MarkSweepCollector(store, leases,
                List.of(now -> images.list(image -> true).stream().map(Image::target).map(Root::of).toList()), clock, MAX_AGE);
    }

    private Descriptor put(String mediaType, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);
        try (ContentWriter writer = store.writer("test-" + digest, bytes.length, digest)) {
            writer.write(ByteBuffer.wrap(bytes));
            writer.commit(bytes.length, digest, Map.of());
        }
        return new Descriptor(mediaType, digest, bytes.length);
    }

    private static String json(Descriptor descriptor) {
        return "{\"mediaType\":\"" + descriptor.mediaType() + "\",\"digest\":\"" + descriptor.digest() + "\",\"size\":" + descriptor.size() + "}";
    }

    /** A manifest with its config and layers; the name makes the config, and so the manifest, distinct. */
    private Descriptor manifest(String type, String configType, String name, List<Descriptor> layers) throws IOException {
        Descriptor config = put(configType, "{\"architecture\":\"" + name + "\"}");
        List<String> layerJson = layers.stream().map(MarkSweepCollectorTest::json).toList();
        return put(type, "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"config\":" + json(config)
                + ",\"layers\":[" + String.join(",", layerJson) + "]}");
    }

    private Descriptor index(String type, List<Descriptor> manifests) throws IOException {
        List<String> entries = manifests.stream().map(MarkSweepCollectorTest::json).toList();
        return put(type, "{\"schemaVersion\":2,\"mediaType\":\"" + type + "\",\"manifests\":[" + String.join(",", entries) + "]}");
    }

    private Set<Digest> committed() throws IOException {
        Set<Digest> digests = new HashSet<>();
        store.walk(info -> true, info -> digests.add(info.digest()));
        return digests;
    }

    private void ingest(String ref, String content) throws IOException {
        try (ContentWriter writer = store.writer(ref, ContentStore.UNKNOWN_SIZE, null)) {
            writer.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void collectsExactlyWhatNoImageOrLeaseHolds() throws IOException {
        Descriptor shared = put(MediaTypes.OCI_LAYER_GZIP, "base layer");
        Descriptor amd64 = manifest(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, "amd64",
                List.of(shared, put(MediaTypes.OCI_LAYER_GZIP, "amd64 layer")));
        Descriptor arm64 = manifest(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, "arm64",
                List.of(shared, put(MediaTypes.OCI_LAYER_GZIP, "arm64 layer")));
        Descriptor index = index(MediaTypes.OCI_INDEX, List.of(amd64, arm64));
        images.create(new Image("registry.local/app:1", index, Map.of(), Instant.EPOCH, Instant.EPOCH));

        Descriptor dockerLayer = put(MediaTypes.DOCKER_LAYER_GZIP, "docker layer");
        Descriptor docker = manifest(MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_CONFIG, "docker",
                List.of(dockerLayer));
        images.create(new Image("registry.local/legacy:1", index(MediaTypes.DOCKER_MANIFEST_LIST, List.of(docker)),
                Map.of(), Instant.EPOCH, Instant.EPOCH));

        Set<Digest> referenced = committed();
        Descriptor orphan = put(MediaTypes.OCI_LAYER_GZIP, "nobody wants me");
        Descriptor leased = put(MediaTypes.OCI_LAYER_GZIP, "a pull in flight");
        leases.create("pull", Map.of(), null);
        leases.add("pull", new Leases.Resource(Leases.Kind.CONTENT, leased.digest().toString()));

        ingest("old", "abandoned");
        ingest("old-but-leased", "paused");
        leases.add("pull", new Leases.Resource(Leases.Kind.INGEST, "old-but-leased"));
        clock.advance(MAX_AGE.plusMinutes(1));
        ingest("young", "in progress");

        CollectionReport report = collector.collect();

        assertEquals(List.of(orphan.digest()), report.removedBlobs());
        assertEquals(orphan.size(), report.bytesFreed());
        assertEquals(List.of("old"), report.removedIngests());
        Set<Digest> expected = new HashSet<>(referenced);
        expected.add(leased.digest());
        assertEquals(expected, committed());
        assertEquals(List.of("old-but-leased", "young"), store.statuses().stream().map(IngestStatus::ref).toList());

        // nothing left to collect
        CollectionReport again = collector.collect();
        assertEquals(List.of(), again.removedBlobs());
        assertEquals(List.of(), again.removedIngests());
    }

    @Test
    void deletingTheImageOrTheLeaseFreesTheirContent() throws IOException {
        Descriptor layer = put(MediaTypes.OCI_LAYER, "layer");
        Descriptor manifest = manifest(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, "x", List.of(layer));
        images.create(new Image("app", manifest, Map.of(), Instant.EPOCH, Instant.EPOCH));
        leases.create("pull", Map.of(), clock.instant().plus(Duration.ofHours(1)));
        leases.add("pull", new Leases.Resource(Leases.Kind.CONTENT, layer.digest().toString()));
        assertEquals(List.of(), collector.collect().removedBlobs());

        images.delete("app");
        assertEquals(2, collector.collect().removedBlobs().size(), "manifest and config go, the leased layer stays");
        assertEquals(Set.of(layer.digest()), committed());

        clock.advance(Duration.ofHours(1));
        CollectionReport afterExpiry = collector.collect();
        assertEquals(1, afterExpiry.expiredLeases());
        assertEquals(List.of(layer.digest()), afterExpiry.removedBlobs());
        assertEquals(List.of(), leases.list());
    }

    @Test
    void brokenManifestsDoNotStopTheCollection() throws IOException {
        Descriptor notJson = put(MediaTypes.OCI_MANIFEST, "this is not json");
        images.create(new Image("broken", notJson, Map.of(), Instant.EPOCH, Instant.EPOCH));
        // an index naming a missing manifest, a digest that is a path, and an empty entry
        Descriptor odd = put(MediaTypes.OCI_INDEX, "{\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":1},{\"digest\":\"../../etc\"},{}]}");
        images.create(new Image("odd", odd, Map.of(), Instant.EPOCH, Instant.EPOCH));
        Descriptor missing = new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256("absent".getBytes(StandardCharsets.UTF_8)), 6);
        images.create(new Image("dangling", missing, Map.of(), Instant.EPOCH, Instant.EPOCH));

        assertEquals(List.of(), collector.collect().removedBlobs());
        assertEquals(Set.of(notJson.digest(), odd.digest()), committed());
    }

    @Test
    void blobFirstLeasedThenReachedThroughAnImageIsStillFollowed() throws IOException {
        Descriptor layer = put(MediaTypes.OCI_LAYER, "layer");
        Descriptor manifest = manifest(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_CONFIG, "x", List.of(layer));
        leases.create("pull", Map.of(), null);
        leases.add("pull", new Leases.Resource(Leases.Kind.CONTENT, manifest.digest().toString()));
        images.create(new Image("app", manifest, Map.of(), Instant.EPOCH, Instant.EPOCH));
        assertEquals(List.of(), collector.collect().removedBlobs());
    }

    @Test
    void noBlobIsCommittedWhileACollectionRuns() throws Exception {
        CountDownLatch collecting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        // a writer opened before the collection: opening one during it would wait as well
        ContentWriter writer = store.writer("during-gc", ContentStore.UNKNOWN_SIZE, null);
        writer.write(ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)));
        try {
            Future<?> holder = threads.submit(() -> store.exclusively(() -> {
                collecting.countDown();
                awaitUninterruptibly(release);
                return null;
            }));
            assertTrue(collecting.await(10, TimeUnit.SECONDS));
            Future<Digest> commit = threads.submit(() -> writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
            assertFalse(waitBriefly(commit), "commit must wait for the collection");
            assertEquals(Set.of(), committed());
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            assertEquals(Set.of(commit.get(10, TimeUnit.SECONDS)), committed());
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitBriefly(Future<?> future) throws Exception {
        try {
            future.get(300, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    @Test
    void reportListsRemovedBlobsInDigestOrder() throws IOException {
        List<Digest> orphans = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            orphans.add(put(MediaTypes.OCI_LAYER, "orphan " + i).digest());
        }
        orphans.sort(null);
        assertEquals(orphans, collector.collect().removedBlobs());
    }
}
