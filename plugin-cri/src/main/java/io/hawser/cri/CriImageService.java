package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.stub.StreamObserver;
import io.hawser.content.ContentStore;
import io.hawser.content.GarbageCollector;
import io.hawser.cri.api.v1.FilesystemIdentifier;
import io.hawser.cri.api.v1.FilesystemUsage;
import io.hawser.cri.api.v1.Image;
import io.hawser.cri.api.v1.ImageFsInfoRequest;
import io.hawser.cri.api.v1.ImageFsInfoResponse;
import io.hawser.cri.api.v1.ImageServiceGrpc;
import io.hawser.cri.api.v1.ImageSpec;
import io.hawser.cri.api.v1.ImageStatusRequest;
import io.hawser.cri.api.v1.ImageStatusResponse;
import io.hawser.cri.api.v1.Int64Value;
import io.hawser.cri.api.v1.ListImagesRequest;
import io.hawser.cri.api.v1.ListImagesResponse;
import io.hawser.cri.api.v1.PullImageRequest;
import io.hawser.cri.api.v1.PullImageResponse;
import io.hawser.cri.api.v1.RemoveImageRequest;
import io.hawser.cri.api.v1.RemoveImageResponse;
import io.hawser.cri.api.v1.StreamImagesRequest;
import io.hawser.cri.api.v1.StreamImagesResponse;
import io.hawser.cri.api.v1.UInt64Value;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.PullOptions;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Usage;

/** The whole CRI ImageService, on the kernel's image service, image store and content store. */
final class CriImageService extends ImageServiceGrpc.ImageServiceImplBase {

    /** How many images one message of {@code StreamImages} carries. */
    static final int STREAM_BATCH = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the image service reads the default snapshotter and the two roots it reports. */
    interface Storage {
        /** The default snapshotter, which pulls unpack into. */
        Snapshotter snapshotter() throws IOException;

        /** The directory the default snapshotter keeps its snapshots in. */
        Path snapshotterRoot() throws IOException;

        /** The directory of the content store. */
        Path contentRoot();
    }

    private final CriImages images;
    private final Supplier<ImageService> services;
    private final ImageStore store;
    private final ContentStore content;
    private final GarbageCollector collector;
    private final Storage storage;
    private final PullOptions pullOptions;
    /** Usage of committed snapshots of the default snapshotter, by {@link #snapshotterUsageKey}. */
    private final Map<String, Usage> committedUsage = new ConcurrentHashMap<>();

    CriImageService(CriImages images, Supplier<ImageService> services, ImageStore store, ContentStore content,
                    GarbageCollector collector, Storage storage, PullOptions pullOptions) {
        this.images = images;
        this.services = services;
        this.store = store;
        this.content = content;
        this.collector = collector;
        this.storage = storage;
        this.pullOptions = pullOptions;
    }

    @Override
    public void pullImage(PullImageRequest request, StreamObserver<PullImageResponse> observer) {
        Calls.unary(observer, () -> {
            String name = required(request.hasImage() ? request.getImage() : null, "image");
            PullOptions options = pullOptions.withAuth(request.hasAuth() ? Auths.of(request.getAuth()) : null);
            CriImages.Entry pulled = images.pulled(services.get().pull(name, options));
            return PullImageResponse.newBuilder().setImageRef(pulled.id().toString()).build();
        });
    }

    @Override
    public void imageStatus(ImageStatusRequest request, StreamObserver<ImageStatusResponse> observer) {
        Calls.unary(observer, () -> {
            String name = required(request.hasImage() ? request.getImage() : null, "image");
            Optional<CriImages.Entry> entry = images.find(name);
            // an image that is not there is an empty answer, not an error: kubelet asks before pulling
            if (entry.isEmpty()) {
                return ImageStatusResponse.getDefaultInstance();
            }
            JsonNode config = images.config(entry.get());
            ImageStatusResponse.Builder response = ImageStatusResponse.newBuilder().setImage(image(entry.get(), config));
            if (request.getVerbose()) {
                response.putInfo("info", JSON.writeValueAsString(verboseInfo(entry.get(), config)));
            }
            return response.build();
        });
    }

    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> observer) {
        Calls.unary(observer, () -> ListImagesResponse.newBuilder().addAllImages(list(filter(request.getFilter().getImage()))).build());
    }

    @Override
    public void streamImages(StreamImagesRequest request, StreamObserver<StreamImagesResponse> observer) {
        Calls.batches(observer, () -> list(filter(request.getFilter().getImage())), STREAM_BATCH,
                batch -> StreamImagesResponse.newBuilder().addAllImages(batch).build());
    }

    @Override
    public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> observer) {
        Calls.unary(observer, () -> {
            String name = required(request.hasImage() ? request.getImage() : null, "image");
            Optional<CriImages.Entry> entry = images.find(name);
            // removing an image that is gone already succeeds: kubelet retries removals
            if (entry.isPresent()) {
                // every name of the image goes, as CRI asks: the image is the identity, not the tag
                for (var record : entry.get().records()) {
                    try {
                        store.delete(record.name());
                    } catch (HawserException e) {
                        if (e.code() != ErrorCode.NOT_FOUND) {
                            throw e;
                        }
                    }
                }
                collector.collect();
            }
            return RemoveImageResponse.getDefaultInstance();
        });
    }

    @Override
    public void imageFsInfo(ImageFsInfoRequest request, StreamObserver<ImageFsInfoResponse> observer) {
        Calls.unary(observer, this::imageFsInfo);
    }

    /**
     * Disk used for images: the default snapshotter's committed snapshots (unpacked layers) first,
     * since kubelet reads the first image filesystem, then the content store's blobs; the
     * snapshotter's active snapshots (containers' writable layers) are the container filesystem.
     * A snapshotter measures usage by walking the snapshot's tree; committed snapshots never
     * change, so each is measured once and remembered, and kubelet's polling walks only the
     * writable layers.
     */
    ImageFsInfoResponse imageFsInfo() throws IOException {
        long now = nanos(Instant.now());
        Snapshotter snapshotter = storage.snapshotter();
        List<SnapshotInfo> snapshots = new ArrayList<>();
        snapshotter.walk(info -> info.kind() != Kind.VIEW, snapshots::add);
        Usage layers = Usage.ZERO;
        Usage writable = Usage.ZERO;
        Map<String, Usage> measured = new HashMap<>();
        for (SnapshotInfo info : snapshots) {
            String key = snapshotterUsageKey(info);
            Usage usage = committedUsage.get(key);
            if (usage == null) {
                try {
                    usage = snapshotter.usage(info.name());
                } catch (HawserException e) {
                    if (e.code() != ErrorCode.NOT_FOUND) {
                        throw e;
                    }
                    // removed since the walk: it uses nothing any more
                    continue;
                }
            }
            if (info.kind() == Kind.COMMITTED) {
                layers = layers.plus(usage);
                measured.put(key, usage);
            } else {
                writable = writable.plus(usage);
            }
        }
        // forget snapshots that are gone, so the memory does not grow with every image ever pulled
        committedUsage.keySet().retainAll(measured.keySet());
        committedUsage.putAll(measured);

        AtomicLong blobBytes = new AtomicLong();
        AtomicLong blobs = new AtomicLong();
        content.walk(info -> true, info -> {
            blobBytes.addAndGet(info.size());
            blobs.incrementAndGet();
        });
        String snapshotRoot = storage.snapshotterRoot().toString();
        return ImageFsInfoResponse.newBuilder()
                .addImageFilesystems(usage(now, snapshotRoot, layers.size(), layers.inodes()))
                .addImageFilesystems(usage(now, storage.contentRoot().toString(), blobBytes.get(), blobs.get()))
                .addContainerFilesystems(usage(now, snapshotRoot, writable.size(), writable.inodes()))
                .build();
    }

    /** Names a committed snapshot's contents: a name reused after removal is another snapshot. */
    private static String snapshotterUsageKey(SnapshotInfo info) {
        return info.name() + "@" + info.created();
    }

    private static FilesystemUsage usage(long timestamp, String mountpoint, long bytes, long inodes) {
        return FilesystemUsage.newBuilder()
                .setTimestamp(timestamp)
                .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(mountpoint))
                .setUsedBytes(UInt64Value.newBuilder().setValue(bytes))
                .setInodesUsed(UInt64Value.newBuilder().setValue(inodes))
                .build();
    }

    private List<Image> list(Optional<String> filter) throws IOException {
        List<CriImages.Entry> entries = filter.isPresent()
                ? images.find(filter.get()).map(List::of).orElse(List.of())
                : images.list();
        List<Image> result = new ArrayList<>();
        for (CriImages.Entry entry : entries) {
            result.add(image(entry, images.config(entry)));
        }
        return result;
    }

    private static Optional<String> filter(ImageSpec spec) {
        return spec.getImage().isEmpty() ? Optional.empty() : Optional.of(spec.getImage());
    }

    /** The CRI view of an image. */
    static Image image(CriImages.Entry entry, JsonNode config) {
        Image.Builder image = Image.newBuilder()
                .setId(entry.id().toString())
                .addAllRepoTags(CriImages.repoTags(entry))
                .addAllRepoDigests(CriImages.repoDigests(entry))
                .setSize(entry.resolved().size())
                .setSpec(ImageSpec.newBuilder().setImage(entry.id().toString()))
                .setPinned(CriImages.pinned(entry));
        String user = CriImages.user(config);
        if (!user.isEmpty()) {
            // a numeric user is a UID; a name is resolved in the container's /etc/passwd at creation
            try {
                image.setUid(Int64Value.newBuilder().setValue(Long.parseLong(user)));
            } catch (NumberFormatException e) {
                image.setUsername(user);
            }
        }
        return image.build();
    }

    private static Map<String, Object> verboseInfo(CriImages.Entry entry, JsonNode config) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", entry.id().toString());
        info.put("names", entry.records().stream().map(record -> record.name()).toList());
        info.put("target", entry.records().getFirst().target().digest().toString());
        info.put("platform", entry.resolved().platform().toString());
        info.put("manifest", entry.resolved().manifest().digest().toString());
        info.put("layers", entry.resolved().layers().stream().map(l -> l.digest().toString()).toList());
        if (!entry.resolved().diffIds().isEmpty()) {
            info.put("chainID", entry.resolved().chainId().toString());
        }
        info.put("imageSpec", config);
        return info;
    }

    /** The image a spec names, or {@code INVALID_ARGUMENT} naming the field when it names none. */
    private static String required(ImageSpec spec, String field) {
        if (spec == null) {
            throw Calls.invalid(field, "is missing");
        }
        if (spec.getImage().isBlank()) {
            throw Calls.invalid(field + ".image", "must not be empty");
        }
        return spec.getImage();
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
