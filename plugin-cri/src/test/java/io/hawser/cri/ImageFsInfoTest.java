package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.content.CollectionReport;
import io.hawser.content.Digest;
import io.hawser.cri.api.v1.FilesystemUsage;
import io.hawser.cri.api.v1.ImageFsInfoResponse;
import io.hawser.errors.HawserException;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;
import org.junit.jupiter.api.Test;

class ImageFsInfoTest {

    private final FakeImages kernel = new FakeImages();
    private final Snapshots snapshots = new Snapshots();
    private final CriImageService service = new CriImageService(new CriImages(kernel, () -> kernel, kernel, Platform.LINUX_AMD64),
            () -> kernel, kernel, kernel, () -> new CollectionReport(List.of(), 0, List.of(), 0, Duration.ZERO),
            FakeImages.storage(snapshots), PullOptions.defaults());

    @Test
    void layersThenContentAndWritableLayersApart() throws Exception {
        kernel.publish("registry.local/a:1", "");
        kernel.pull("registry.local/a:1", PullOptions.defaults());
        snapshots.add(Kind.COMMITTED, "layer-1", new Usage(1000, 10));
        snapshots.add(Kind.COMMITTED, "layer-2", new Usage(500, 5));
        snapshots.add(Kind.ACTIVE, "container-1", new Usage(70, 7));
        snapshots.add(Kind.VIEW, "view-1", new Usage(9, 9));

        ImageFsInfoResponse info = service.imageFsInfo();
        assertEquals(2, info.getImageFilesystemsCount());
        assertUsage(info.getImageFilesystems(0), "/var/lib/hawser/io.hawser.snapshotter.overlay", 1500, 15);
        assertUsage(info.getImageFilesystems(1), "/var/lib/hawser/content", kernel.info(configDigest()).size(), 1);
        assertUsage(info.getContainerFilesystems(0), "/var/lib/hawser/io.hawser.snapshotter.overlay", 70, 7);
    }

    @Test
    void committedSnapshotsAreMeasuredOnce() throws Exception {
        snapshots.add(Kind.COMMITTED, "layer-1", new Usage(1000, 10));
        snapshots.add(Kind.ACTIVE, "container-1", new Usage(70, 7));
        service.imageFsInfo();
        snapshots.usage.put("container-1", new Usage(80, 8));
        ImageFsInfoResponse again = service.imageFsInfo();
        assertEquals(List.of("layer-1", "container-1", "container-1"), snapshots.measured);
        assertUsage(again.getContainerFilesystems(0), "/var/lib/hawser/io.hawser.snapshotter.overlay", 80, 8);

        snapshots.remove("layer-1");
        assertUsage(service.imageFsInfo().getImageFilesystems(0), "/var/lib/hawser/io.hawser.snapshotter.overlay", 0, 0);
    }

    private Digest configDigest() throws Exception {
        List<Digest> digests = new ArrayList<>();
        kernel.walk(i -> true, i -> digests.add(i.digest()));
        return digests.getFirst();
    }

    private static void assertUsage(FilesystemUsage usage, String mountpoint, long bytes, long inodes) {
        assertEquals(mountpoint, usage.getFsId().getMountpoint());
        assertEquals(bytes, usage.getUsedBytes().getValue());
        assertEquals(inodes, usage.getInodesUsed().getValue());
    }

    /** Snapshots that exist only as names, kinds and usages; counts what is measured. */
    private static final class Snapshots implements Snapshotter {
        final Map<String, SnapshotInfo> infos = new LinkedHashMap<>();
        final Map<String, Usage> usage = new HashMap<>();
        final List<String> measured = new ArrayList<>();

        void add(Kind kind, String name, Usage used) {
            infos.put(name, new SnapshotInfo(kind, name, "", Map.of(), Instant.EPOCH, Instant.EPOCH));
            usage.put(name, used);
        }

        @Override
        public Usage usage(String key) throws HawserException {
            measured.add(key);
            if (!usage.containsKey(key)) {
                throw HawserException.notFound("snapshot " + key);
            }
            return usage.get(key);
        }

        @Override
        public void walk(Predicate<? super SnapshotInfo> filter, Consumer<? super SnapshotInfo> visitor) {
            infos.values().stream().filter(filter).forEach(visitor);
        }

        @Override
        public void remove(String key) {
            infos.remove(key);
            usage.remove(key);
        }

        @Override
        public SnapshotInfo stat(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SnapshotInfo update(String key, Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Mount> mounts(String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Mount> prepare(String key, String parent, Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Mount> view(String key, String parent, Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit(String name, String key, Map<String, String> labels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cleanup() {
            throw new UnsupportedOperationException();
        }
    }
}
