package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.BlobProgress;
import io.hawser.images.Descriptor;
import io.hawser.images.PullProgress;
import io.hawser.images.ResolvedImage;
import io.hawser.kernel.internal.apply.LayerApplier;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.Snapshotter;

/**
 * Turns an image's layers into committed snapshots, one per layer, each named by the chain ID of
 * the layers up to it, so images that share lower layers share their snapshots and a layer
 * unpacked once is never unpacked again. Each layer is applied through the mounts of a fresh
 * active snapshot on top of the previous layer's, its diff ID checked, then committed; a layer
 * that fails leaves no snapshot behind.
 */
public final class Unpacker {

    /** Keys of the active snapshots layers are applied in start with this, so a restart can clear what a crash left. */
    static final String EXTRACT_PREFIX = "extract-";

    /** Label on the snapshots of unpacked layers: the diff ID of the layer itself. */
    static final String DIFF_ID_LABEL = "hawser.io/diff-id";

    private final ContentStore content;
    private final Mounter mounter;
    private final Path scratch;
    private final LayerApplier applier = new LayerApplier(LayerApplier.Whiteouts.DELETE);

    /**
     * @param scratch a directory for the temporary mount points, under the daemon's state
     */
    public Unpacker(ContentStore content, Mounter mounter, Path scratch) {
        this.content = content;
        this.mounter = mounter;
        this.scratch = scratch;
    }

    /** Unpacks every layer of an image, bottom first; returns the chain ID of the top layer. */
    public Digest unpack(ResolvedImage image, Snapshotter snapshotter, PullProgress progress) throws IOException {
        Session session = new Session(image, snapshotter, progress);
        for (int i = 0; i < image.layers().size(); i++) {
            session.layer(i);
        }
        return image.chainId();
    }

    /** Starts unpacking an image layer by layer, as its layers arrive in order. */
    public Session start(ResolvedImage image, Snapshotter snapshotter, PullProgress progress) {
        return new Session(image, snapshotter, progress);
    }

    /** Removes the active snapshots an unpack interrupted by a crash left in a snapshotter. */
    public void clearInterrupted(Snapshotter snapshotter) throws IOException {
        List<String> stale = new ArrayList<>();
        snapshotter.walk(info -> info.kind() == Kind.ACTIVE && info.name().startsWith(EXTRACT_PREFIX), info -> stale.add(info.name()));
        for (String key : stale) {
            snapshotter.remove(key);
        }
    }

    /** One image's unpack; layers must be given in order. */
    public final class Session {
        private final ResolvedImage image;
        private final Snapshotter snapshotter;
        private final PullProgress progress;

        private Session(ResolvedImage image, Snapshotter snapshotter, PullProgress progress) {
            this.image = image;
            this.snapshotter = snapshotter;
            this.progress = progress;
        }

        /** Unpacks layer {@code index}, whose blob must be in the content store, unless its snapshot exists. */
        public void layer(int index) throws IOException {
            Descriptor layer = image.layers().get(index);
            Digest chain = ResolvedImage.chainId(image.diffIds().subList(0, index + 1));
            if (exists(chain)) {
                progress.update(new BlobProgress(layer, BlobProgress.State.UNPACKED, layer.size()));
                return;
            }
            progress.update(new BlobProgress(layer, BlobProgress.State.UNPACKING, 0));
            String parent = index == 0 ? "" : ResolvedImage.chainId(image.diffIds().subList(0, index)).toString();
            String key = EXTRACT_PREFIX + UUID.randomUUID() + "-" + chain.hex();
            List<Mount> mounts = snapshotter.prepare(key, parent, Map.of());
            try {
                Path target = Files.createDirectories(scratch).resolve(UUID.randomUUID().toString());
                Files.createDirectory(target);
                try {
                    mounter.withMounted(mounts, target, root -> {
                        try (InputStream blob = Channels.newInputStream(content.reader(layer.digest()))) {
                            return applier.apply(blob, root, image.diffIds().get(index));
                        }
                    });
                } finally {
                    Files.deleteIfExists(target);
                }
                snapshotter.commit(chain.toString(), key, Map.of(DIFF_ID_LABEL, image.diffIds().get(index).toString()));
            } catch (HawserException e) {
                discard(key, e);
                if (e.code() == ErrorCode.ALREADY_EXISTS && exists(chain)) {
                    // another unpack of an image sharing this layer committed it first
                    progress.update(new BlobProgress(layer, BlobProgress.State.UNPACKED, layer.size()));
                    return;
                }
                throw e;
            } catch (IOException | RuntimeException e) {
                discard(key, e);
                throw e;
            }
            progress.update(new BlobProgress(layer, BlobProgress.State.UNPACKED, layer.size()));
        }

        private boolean exists(Digest chain) throws IOException {
            try {
                return snapshotter.stat(chain.toString()).kind() == Kind.COMMITTED;
            } catch (HawserException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        }

        private void discard(String key, Exception cause) {
            try {
                snapshotter.remove(key);
            } catch (IOException | RuntimeException e) {
                if (!(e instanceof HawserException notFound && notFound.code() == ErrorCode.NOT_FOUND)) {
                    cause.addSuppressed(e);
                }
            }
        }
    }
}
