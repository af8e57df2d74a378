package io.hawser.kernel.internal.gc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.content.CollectionReport;
import io.hawser.content.ContentInfo;
import io.hawser.content.Digest;
import io.hawser.content.GarbageCollector;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.MediaTypes;
import io.hawser.kernel.internal.content.LocalContentStore;
import io.hawser.kernel.internal.metadata.Leases;

/**
 * Mark and sweep over the content store.
 *
 * <p>Mark starts from the roots (the {@link RootSource}s and the content of unexpired leases) and
 * follows indexes and manifest lists to their manifests and manifests to their config and layers,
 * reading the blobs as JSON. Sweep deletes every committed blob not marked, then every ingest
 * untouched for longer than the maximum age that no writer holds and no lease names.
 *
 * <p>Concurrency: the whole collection runs under the store's exclusive lock
 * ({@link LocalContentStore#exclusively}), so no commit lands between mark and sweep. A pull adds
 * each blob to its lease before committing or relying on it, and creates its image record before
 * deleting the lease; so whatever a pull needs is either leased when mark reads the leases, or
 * committed after the sweep. A generation counter checked before sweeping would let commits run
 * during the mark, but marks take milliseconds (they read only manifests), and a lock cannot be
 * got wrong by a later caller that forgets to check.
 */
public class MarkSweepCollector implements GarbageCollector {

    /** Manifests and indexes larger than this are not parsed; pulls refuse them too. */
    static final long MAX_MANIFEST_BYTES = 4L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalContentStore store;
    private final Leases leases;
    private final List<RootSource> rootSources;
    private final Clock clock;
    private final Duration ingestMaxAge;

    /**
     * @param ingestMaxAge how long an ingest may go without a write before it is removed
     */
    public MarkSweepCollector(LocalContentStore store, Leases leases, List<RootSource> rootSources, Clock clock, Duration ingestMaxAge) {
        this.store = store;
        this.leases = leases;
        this.rootSources = List.copyOf(rootSources);
        this.clock = clock;
        this.ingestMaxAge = ingestMaxAge;
        if (ingestMaxAge.isNegative()) {
            throw new IllegalArgumentException("ingest max age must not be negative: " + ingestMaxAge);
        }
    }

    @Override
    public CollectionReport collect() throws IOException {
        return store.exclusively(() -> {
            Instant started = clock.instant();
            int expiredLeases = leases.deleteExpired(started);
            Set<Digest> marked = mark(started);

            List<ContentInfo> unmarked = new ArrayList<>();
            store.walk(info -> !marked.contains(info.digest()), unmarked::add);
            List<Digest> removedBlobs = new ArrayList<>();
            long bytesFreed = 0;
            for (ContentInfo blob : unmarked) {
                if (deleteIfPresent(blob.digest())) {
                    removedBlobs.add(blob.digest());
                    bytesFreed += blob.size();
                }
            }
            Set<String> leasedIngests = leases.protectedIds(Leases.Kind.INGEST, started);
            List<String> removedIngests = store.removeIngestsBefore(started.minus(ingestMaxAge), leasedIngests::contains);
            store.forgetMissingBlobs();
            return new CollectionReport(removedBlobs, bytesFreed, removedIngests, expiredLeases,
                    Duration.between(started, clock.instant()));
        });
    }

    /** Every digest reachable from a root; missing blobs among them are simply not followed. */
    Set<Digest> mark(Instant now) throws IOException {
        Deque<Root> pending = new ArrayDeque<>();
        for (RootSource source : rootSources) {
            pending.addAll(source.roots(now));
        }
        for (String leased : leases.protectedIds(Leases.Kind.CONTENT, now)) {
            try {
                pending.add(Root.untyped(Digest.parse(leased)));
            } catch (IllegalArgumentException notADigest) {
                // a lease can name any string; one that is no digest protects no blob
            }
        }
        Set<Digest> marked = new HashSet<>();
        Set<Digest> followed = new HashSet<>();
        while (!pending.isEmpty()) {
            Root root = pending.pop();
            marked.add(root.digest());
            // a blob reached first untyped (from a lease) is still followed when an image reaches it typed
            if (root.mediaType() != null && isFollowed(root.mediaType()) && followed.add(root.digest())) {
                pending.addAll(references(root));
            }
        }
        return marked;
    }

    private static boolean isFollowed(String mediaType) {
        return MediaTypes.isIndex(mediaType) || MediaTypes.isManifest(mediaType);
    }

    /**
     * The descriptors an index or manifest names. A blob that is missing, too large or not JSON
     * names nothing: a pull never records an image over such a blob, so there is nothing valid
     * behind it to keep.
     */
    private List<Root> references(Root root) throws IOException {
        JsonNode document;
        try {
            if (store.info(root.digest()).size() > MAX_MANIFEST_BYTES) {
                return List.of();
            }
            try (InputStream in = Channels.newInputStream(store.reader(root.digest()))) {
                document = JSON.readTree(in);
            }
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return List.of();
            }
            throw e;
        } catch (JacksonException e) {
            return List.of();
        }
        List<Root> references = new ArrayList<>();
        if (MediaTypes.isIndex(root.mediaType())) {
            document.path("manifests").forEach(entry -> descriptor(entry, references));
        } else {
            descriptor(document.path("config"), references);
            document.path("layers").forEach(entry -> descriptor(entry, references));
        }
        return references;
    }

    /** Adds the root a JSON descriptor names, if it names a well-formed digest. */
    private static void descriptor(JsonNode node, List<Root> into) {
        try {
            String mediaType = node.path("mediaType").asText("");
            into.add(new Root(Digest.parse(node.path("digest").asText("")), mediaType.isEmpty() ? null : mediaType));
        } catch (IllegalArgumentException malformed) {
            // a descriptor without a usable digest refers to no blob
        }
    }

    private boolean deleteIfPresent(Digest digest) throws IOException {
        try {
            store.delete(digest);
            return true;
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                // deleted by hand while we swept
                return false;
            }
            throw e;
        }
    }
}
