package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.content.BlobExistsException;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.BlobProgress;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.MediaTypes;
import io.hawser.images.PlatformMatcher;
import io.hawser.images.PullOptions;
import io.hawser.images.Platform;
import io.hawser.images.PullProgress;
import io.hawser.images.Reference;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.metadata.Leases;
import io.hawser.kernel.internal.registry.BlobFetch;
import io.hawser.kernel.internal.registry.RegistryClient;
import io.hawser.kernel.internal.registry.Resolution;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;

/**
 * Pulls an image: resolves the reference, fetches the index (if any), the manifest for the
 * wanted platform, its config and its layers into the content store, each verified, then records
 * the image. A lease holds everything fetched so far, so a garbage collection running meanwhile
 * keeps it; an image record is written only once every blob it needs is committed, so a failed
 * pull leaves no record pointing at missing content, and a later pull reuses what was verified.
 */
public final class ImagePuller {

    /** How long the lease of a pull lives if the daemon dies before it can delete it. */
    private static final Duration LEASE_LIFETIME = Duration.ofHours(1);

    /** Indexes may nest; deeper than this is taken for a loop or an attack. */
    private static final int MAX_INDEX_DEPTH = 4;

    /** How long a pull waits for another pull that is fetching the same blob. */
    private static final Duration WAIT_FOR_OTHER_PULL = Duration.ofMinutes(10);

    private final RegistryClient registry;
    private final ContentStore content;
    private final ImageStore images;
    private final Leases leases;
    private final Snapshotters snapshotters;
    private final Unpacker unpacker;
    private final int concurrentDownloads;
    private final Clock clock;

    public ImagePuller(RegistryClient registry, ContentStore content, ImageStore images, Leases leases,
            Snapshotters snapshotters, Unpacker unpacker, int concurrentDownloads, Clock clock) {
        if (concurrentDownloads < 1) {
            throw new IllegalArgumentException("concurrent downloads must be at least 1, not " + concurrentDownloads);
        }
        this.registry = registry;
        this.content = content;
        this.images = images;
        this.leases = leases;
        this.snapshotters = snapshotters;
        this.unpacker = unpacker;
        this.concurrentDownloads = concurrentDownloads;
        this.clock = clock;
    }

    /** Pulls the image a reference names, for the options' platform. */
    public Image pull(String name, PullOptions options) throws IOException {
        Reference reference = Reference.parse(name);
        // before any download: a pull that cannot unpack fails at once
        Snapshotter snapshotter = options.unpack() ? snapshotters.get(options.snapshotter()) : null;
        // resolving writes nothing, so it need not wait for the lease: in a daemon whose image service
        // has just started, the first request and the first database write both take tens of milliseconds
        FutureTask<Resolution> resolving = new FutureTask<>(() -> registry.resolve(reference, options.auth()));
        Thread.ofVirtual().name("resolve " + reference).start(resolving);
        String lease;
        try {
            lease = leases.create("pull-" + UUID.randomUUID(), Map.of("hawser.io/pull", reference.toString()),
                    clock.instant().plus(LEASE_LIFETIME)).id();
        } catch (IOException | RuntimeException e) {
            resolving.cancel(true);
            throw e;
        }
        try {
            Resolution resolution = awaitResolution(resolving, reference);
            Fetch fetch = new Fetch(resolution, lease, options.progress());
            Descriptor root = resolution.root();
            Descriptor manifest = fetch.platformManifest(root, PlatformMatcher.of(options.platform()), new HashSet<>(), 0);
            JsonNode manifestJson = fetch.json(manifest, "manifest " + manifest.digest());
            Descriptor config = ImageJson.descriptor(manifestJson.get("config"), "manifest " + manifest.digest() + ": config");
            List<Descriptor> layers = ImageJson.descriptors(manifestJson, "layers", "manifest " + manifest.digest());
            checkMediaTypes(manifest, config, layers);
            String configWhat = "config " + config.digest();
            JsonNode configJson = fetch.json(config, configWhat);
            List<Digest> diffIds = ImageJson.diffIds(configJson, configWhat);
            if (diffIds.size() != layers.size()) {
                throw HawserException.invalidArgument(configWhat + " lists " + diffIds.size() + " diff ids for " + layers.size() + " layers");
            }
            if (snapshotter == null) {
                fetch.all(layers, index -> { });
            } else {
                Platform platform = manifest.platform() != null ? manifest.platform() : ImageJson.platform(configJson, configWhat);
                Unpacker.Session unpack = unpacker.start(new ResolvedImage(platform, manifest, config, layers, diffIds),
                        snapshotter, options.progress());
                // each layer is unpacked as soon as it and those below it are downloaded
                fetch.all(layers, unpack::layer);
            }
            return record(reference, root);
        } finally {
            leases.delete(lease);
        }
    }

    private static Resolution awaitResolution(FutureTask<Resolution> resolving, Reference reference) throws IOException {
        try {
            return resolving.get();
        } catch (InterruptedException e) {
            resolving.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("pull of " + reference + " interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static void checkMediaTypes(Descriptor manifest, Descriptor config, List<Descriptor> layers) throws HawserException {
        if (!MediaTypes.isConfig(config.mediaType())) {
            throw HawserException.invalidArgument("manifest " + manifest.digest() + ": config has unknown media type " + config.mediaType());
        }
        for (Descriptor layer : layers) {
            if (MediaTypes.isForeign(layer.mediaType())) {
                throw HawserException.invalidArgument("manifest " + manifest.digest() + ": layer " + layer.digest()
                        + " is a foreign layer (" + layer.mediaType() + "), which Linux images do not use");
            }
            if (!MediaTypes.isLayer(layer.mediaType())) {
                throw HawserException.invalidArgument("manifest " + manifest.digest() + ": layer " + layer.digest()
                        + " has unknown media type " + layer.mediaType());
            }
        }
    }

    /** Creates the image record, or points an existing one at the new target keeping its labels. */
    private Image record(Reference reference, Descriptor root) throws IOException {
        Instant now = clock.instant();
        String name = reference.toString();
        var existing = images.get(name);
        if (existing.isPresent()) {
            Image old = existing.get();
            return images.update(new Image(name, root, old.labels(), old.created(), now));
        }
        try {
            return images.create(new Image(name, root, Map.of(), now, now));
        } catch (HawserException e) {
            if (e.code() != ErrorCode.ALREADY_EXISTS) {
                throw e;
            }
            // a concurrent pull of the same name recorded it first
            Image other = images.get(name).orElseThrow(() -> e);
            return images.update(new Image(name, root, other.labels(), other.created(), now));
        }
    }

    /** What is done with each blob of {@link Fetch#all} once it is in the store. */
    @FunctionalInterface
    private interface Ready {
        void blob(int index) throws IOException;
    }

    /** One pull's fetching: its resolution, its lease and its progress listener. */
    private final class Fetch {
        private final Resolution resolution;
        private final String lease;
        private final PullProgress progress;

        Fetch(Resolution resolution, String lease, PullProgress progress) {
            this.resolution = resolution;
            this.lease = lease;
            this.progress = progress;
        }

        /**
         * The manifest for the platform: {@code descriptor} itself when it is a manifest, else the
         * best match in the index it names (indexes may nest).
         */
        Descriptor platformManifest(Descriptor descriptor, PlatformMatcher platform, Set<Digest> seen, int depth) throws IOException {
            if (MediaTypes.isManifest(descriptor.mediaType())) {
                return descriptor;
            }
            if (!MediaTypes.isIndex(descriptor.mediaType())) {
                throw HawserException.invalidArgument(resolution.reference() + " resolves to " + descriptor.digest()
                        + " of media type " + descriptor.mediaType() + ", which is neither a manifest nor an index");
            }
            if (!seen.add(descriptor.digest()) || depth >= MAX_INDEX_DEPTH) {
                throw HawserException.invalidArgument("index " + descriptor.digest() + " refers to itself (directly or through"
                        + " nested indexes) or nests deeper than " + MAX_INDEX_DEPTH);
            }
            JsonNode index = json(descriptor, "index " + descriptor.digest());
            List<Descriptor> manifests = ImageJson.descriptors(index, "manifests", "index " + descriptor.digest());
            for (Descriptor child : manifests) {
                if (seen.contains(child.digest())) {
                    throw HawserException.invalidArgument("index " + descriptor.digest() + " refers to itself");
                }
            }
            Descriptor chosen = platform.best(manifests.stream().filter(m -> m.platform() != null).toList(), Descriptor::platform)
                    .orElseThrow(() -> HawserException.notFound("a manifest for platform " + platform.platform() + " in index "
                            + descriptor.digest() + " of " + resolution.reference() + " (it has "
                            + manifests.stream().map(m -> String.valueOf(m.platform())).distinct().toList() + ")"));
            return platformManifest(chosen, platform, seen, depth + 1);
        }

        /** Fetches a manifest, index or config into the store and parses it. */
        JsonNode json(Descriptor descriptor, String what) throws IOException {
            if (descriptor.size() > ImageJson.MAX_JSON_SIZE) {
                throw HawserException.invalidArgument(what + " is " + descriptor.size() + " bytes, more than the "
                        + ImageJson.MAX_JSON_SIZE + " accepted");
            }
            if (MediaTypes.isManifest(descriptor.mediaType()) || MediaTypes.isIndex(descriptor.mediaType())) {
                fetchManifest(descriptor);
            } else {
                fetch(descriptor);
            }
            return ImageJson.readObjectBlob(content, descriptor.digest(), what);
        }

        /**
         * Fetches a manifest or index (registries serve them from another path than blobs, and
         * they are small enough to verify in memory) into the store, unless it is there already.
         */
        private void fetchManifest(Descriptor manifest) throws IOException {
            leases.add(lease, new Leases.Resource(Leases.Kind.CONTENT, manifest.digest().toString()));
            if (present(manifest.digest())) {
                progress.update(new BlobProgress(manifest, BlobProgress.State.ALREADY_PRESENT, manifest.size()));
                return;
            }
            byte[] bytes = registry.fetchManifest(resolution, manifest);
            String ref = "pull-" + manifest.digest() + "-" + UUID.randomUUID();
            leases.add(lease, new Leases.Resource(Leases.Kind.INGEST, ref));
            try (ContentWriter writer = content.writer(ref, manifest.size(), manifest.digest())) {
                writer.write(ByteBuffer.wrap(bytes));
                writer.commit(manifest.size(), manifest.digest(), Map.of());
            } catch (BlobExistsException e) {
                // a concurrent pull stored it first
            }
            progress.update(new BlobProgress(manifest, BlobProgress.State.DOWNLOADED, manifest.size()));
        }

        /**
         * Fetches blobs, several at once, handing each to {@code ready} in order once it and all
         * before it are in the store; the first failure cancels the rest and is thrown. A
         * download's slot goes to the next as soon as its last byte is in: the commit's fsync
         * need not hold the network back.
         */
        void all(List<Descriptor> blobs, Ready ready) throws IOException {
            Semaphore slots = new Semaphore(concurrentDownloads);
            List<Future<Void>> downloads = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Descriptor blob : blobs) {
                    progress.update(new BlobProgress(blob, BlobProgress.State.WAITING, 0));
                    downloads.add(executor.submit(() -> {
                        slots.acquire();
                        AtomicBoolean held = new AtomicBoolean(true);
                        Runnable release = () -> {
                            if (held.getAndSet(false)) {
                                slots.release();
                            }
                        };
                        try {
                            fetch(blob, release);
                        } finally {
                            release.run();
                        }
                        return null;
                    }));
                }
                for (int i = 0; i < downloads.size(); i++) {
                    try {
                        downloads.get(i).get();
                        ready.blob(i);
                    } catch (IOException | RuntimeException e) {
                        downloads.forEach(d -> d.cancel(true));
                        throw e;
                    } catch (ExecutionException e) {
                        downloads.forEach(d -> d.cancel(true));
                        throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    } catch (InterruptedException e) {
                        downloads.forEach(d -> d.cancel(true));
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("pull of " + resolution.reference() + " interrupted");
                    }
                }
            }
        }

        /** Fetches one blob into the content store, unless it is there already. */
        void fetch(Descriptor blob) throws IOException {
            fetch(blob, () -> { });
        }

        /** Fetches one blob, telling {@code downloaded} once its bytes are in, before they are committed. */
        void fetch(Descriptor blob, Runnable downloaded) throws IOException {
            leases.add(lease, new Leases.Resource(Leases.Kind.CONTENT, blob.digest().toString()));
            // a fixed ref per digest: an interrupted pull leaves an ingest the next pull resumes
            String ref = "pull-" + blob.digest();
            leases.add(lease, new Leases.Resource(Leases.Kind.INGEST, ref));
            Instant giveUp = clock.instant().plus(WAIT_FOR_OTHER_PULL);
            while (true) {
                if (present(blob.digest())) {
                    progress.update(new BlobProgress(blob, BlobProgress.State.ALREADY_PRESENT, blob.size()));
                    return;
                }
                ContentWriter writer;
                try {
                    writer = content.writer(ref, blob.size(), blob.digest());
                } catch (HawserException e) {
                    // UNAVAILABLE: another pull holds this blob's ingest; wait for it to finish
                    if (e.code() != ErrorCode.UNAVAILABLE || clock.instant().isAfter(giveUp)) {
                        throw e;
                    }
                    pause();
                    continue;
                }
                try (writer) {
                    // an ingest left by an interrupted pull: say where the download resumes
                    progress.update(new BlobProgress(blob, BlobProgress.State.DOWNLOADING, writer.offset()));
                    BlobFetch fetched = registry.fetchBlob(resolution, blob, new IngestSink(writer, blob, progress));
                    downloaded.run();
                    commit(writer, blob, fetched);
                    progress.update(new BlobProgress(blob, BlobProgress.State.DOWNLOADED, blob.size()));
                } catch (BlobExistsException e) {
                    // committed by someone else between the check and the commit
                    progress.update(new BlobProgress(blob, BlobProgress.State.ALREADY_PRESENT, blob.size()));
                } catch (IOException e) {
                    progress.update(new BlobProgress(blob, BlobProgress.State.FAILED, 0));
                    if (e instanceof HawserException mismatch && mismatch.code() == ErrorCode.FAILED_PRECONDITION) {
                        // what was fetched does not verify: resuming from it would fail again, start afresh next time
                        content.abort(ref);
                    }
                    throw e;
                }
                return;
            }
        }

        /** Commits a fetched blob; the commit is where its digest is verified (see {@link IngestSink#verifiesDigest}). */
        private void commit(ContentWriter writer, Descriptor blob, BlobFetch fetched) throws IOException {
            try {
                writer.commit(blob.size(), blob.digest(), Map.of());
            } catch (HawserException e) {
                if (e.code() != ErrorCode.FAILED_PRECONDITION) {
                    throw e;
                }
                throw new HawserException(ErrorCode.FAILED_PRECONDITION, "blob " + blob.digest() + " from "
                        + fetched.host().root() + " does not match its digest: " + e.getMessage(), e);
            }
        }

        private void pause() throws InterruptedIOException {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("pull of " + resolution.reference() + " interrupted");
            }
        }

        private boolean present(Digest digest) throws IOException {
            try {
                content.info(digest);
                return true;
            } catch (HawserException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        }
    }
}
