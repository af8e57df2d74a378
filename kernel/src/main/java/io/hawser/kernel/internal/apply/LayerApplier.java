package io.hawser.kernel.internal.apply;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import io.hawser.content.Digest;
import io.hawser.content.DigestAlgorithm;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.apply.ConfinedTree.Fd;
import io.hawser.kernel.internal.tar.TarReader;

/**
 * Applies an image layer (a tar stream, uncompressed or compressed with gzip or zstd) onto a
 * directory, normally the mounted active snapshot the layer's parent chain was prepared into.
 *
 * <p>Entries become regular files, directories, symbolic and hard links, character and block
 * devices and FIFOs with the owner, mode (setuid, setgid and sticky included), extended attributes
 * and modification time the layer gives; directories get their times after their contents, since
 * writing into a directory changes its time. Whiteouts ({@code .wh.<name>}, {@code .wh..wh..opq})
 * become what the snapshotter needs, see {@link Whiteouts}.
 *
 * <p>No entry can write outside the directory: names are checked lexically by {@link EntryPath}
 * and opened through {@link ConfinedTree}. A refused or broken entry fails the whole apply with an
 * error naming it; what was applied so far stays, and the caller discards the snapshot.
 */
public final class LayerApplier {

    /** How a layer's deletions are written. */
    public enum Whiteouts {
        /**
         * Into the upper directory of an overlay snapshot: a deleted name becomes a 0/0 character
         * device and an opaque directory gets {@code trusted.overlay.opaque=y}, which overlayfs
         * reads when the snapshot is mounted over its parents.
         */
        OVERLAY,
        /**
         * Into a snapshot that already holds its parents' files (btrfs, copies): a deleted name is
         * removed, and an opaque directory loses everything the layer itself did not write.
         */
        DELETE
    }

    /**
     * What an apply did.
     *
     * @param diffId          the SHA-256 of the uncompressed tar, which matched the expected one
     * @param skippedXattrs   extended attributes the target file system does not support, as
     *                        {@code <entry>: <attribute>}; the rest of the entry was applied
     */
    public record AppliedLayer(Digest diffId, List<String> skippedXattrs) {
        public AppliedLayer {
            Objects.requireNonNull(diffId, "diffId");
            skippedXattrs = List.copyOf(skippedXattrs);
        }
    }

    private static final String WHITEOUT_PREFIX = ".wh.";
    /** A whiteout of this name makes its directory opaque. */
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final String OVERLAY_OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final int STREAM_BUFFER = 1 << 16;
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private final Whiteouts whiteouts;

    public LayerApplier(Whiteouts whiteouts) {
        this.whiteouts = Objects.requireNonNull(whiteouts, "whiteouts");
    }

    /**
     * Applies a layer onto {@code target} and checks its diff ID.
     *
     * @param layer          the layer blob as stored: a tar, or a tar compressed with gzip or zstd,
     *                       told apart by their magic bytes (media types lie more often than bytes)
     * @param target         an existing directory; nothing outside it is touched
     * @param expectedDiffId the diff ID the image config lists for this layer
     * @throws HawserException {@code INVALID_ARGUMENT} naming the entry for a malformed or hostile
     *                         layer, {@code FAILED_PRECONDITION} naming both digests when the
     *                         uncompressed tar is not the one the config describes
     */
    public AppliedLayer apply(InputStream layer, Path target, Digest expectedDiffId) throws IOException {
        Objects.requireNonNull(expectedDiffId, "expectedDiffId");
        MessageDigest hasher = DigestAlgorithm.SHA256.newHasher();
        Application application;
        try (InputStream tar = new HashingInputStream(uncompressed(layer), hasher);
             ConfinedTree tree = ConfinedTree.open(target)) {
            application = new Application(tree);
            TarReader reader = new TarReader(tar);
            for (TarReader.Entry entry; (entry = reader.next()) != null; ) {
                application.apply(entry, reader);
            }
            application.finishDirectories();
            // the digest covers the whole tar, including the blocks after the end marker
            tar.transferTo(OutputStream.nullOutputStream());
        }
        Digest diffId = DigestAlgorithm.SHA256.fromHash(hasher.digest());
        if (!diffId.equals(expectedDiffId)) {
            throw HawserException.failedPrecondition("layer diff ID mismatch: the image config expects " + expectedDiffId
                    + " but the layer's uncompressed tar is " + diffId);
        }
        return new AppliedLayer(diffId, application.skippedXattrs);
    }

    /** The tar inside a layer blob, decompressed according to its first bytes. */
    private static InputStream uncompressed(InputStream layer) throws IOException {
        BufferedInputStream in = new BufferedInputStream(layer, STREAM_BUFFER);
        in.mark(ZSTD_MAGIC.length);
        byte[] magic = in.readNBytes(ZSTD_MAGIC.length);
        in.reset();
        if (startsWith(magic, GZIP_MAGIC)) {
            return new GZIPInputStream(in, STREAM_BUFFER);
        }
        if (startsWith(magic, ZSTD_MAGIC)) {
            return new ZstdInputStreamNoFinalizer(in);
        }
        return in;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The state of one apply: what the layer wrote so far and what is left to do at the end. */
    private final class Application {
        private final ConfinedTree tree;
        /** Paths this layer wrote, which an opaque directory in delete mode keeps. */
        private final Set<String> written = new HashSet<>();
        /** Directory times to set last, the latest entry for a path winning. */
        private final Map<String, DirectoryTime> directoryTimes = new LinkedHashMap<>();
        private final List<String> skippedXattrs = new ArrayList<>();

        private record DirectoryTime(EntryPath path, Instant modified, String entry) {}

        Application(ConfinedTree tree) {
            this.tree = tree;
        }

        void apply(TarReader.Entry entry, TarReader reader) throws IOException {
            String shown = EntryPath.shown(entry.name());
            EntryPath path = EntryPath.of(entry.name(), "layer entry");
            if (path.name().startsWith(WHITEOUT_PREFIX)) {
                whiteout(path, shown);
                return;
            }
            if (path.isRoot() && entry.kind() != TarReader.Kind.DIRECTORY) {
                throw HawserException.invalidArgument("layer entry '" + shown + "' names the root but is not a directory");
            }
            try (Fd parent = tree.openParent(path, shown, true)) {
                String name = path.name();
                boolean keepDirectory = !path.isRoot() && replaceExisting(parent, name, entry.kind(), shown);
                switch (entry.kind()) {
                    case DIRECTORY -> {
                        if (path.isRoot() || keepDirectory) {
                            // the entry describes the directory whole, as the fresh directory of an
                            // overlay upper would: attributes a lower layer gave it go
                            if (whiteouts == Whiteouts.DELETE) {
                                tree.removeXattrsExcept(parent, name, entry.xattrs().keySet(), shown);
                            }
                        } else {
                            tree.createDirectory(parent, name, shown);
                        }
                    }
                    case FILE -> tree.createFile(parent, name, reader.content(), shown);
                    case SYMLINK -> tree.createSymlink(parent, name, entry.linkName(), shown);
                    case HARD_LINK -> {
                        hardLink(parent, name, entry.linkName(), shown);
                        written.add(path.toString());
                        // a hard link shares its target's inode, whose metadata its own entry set
                        return;
                    }
                    case CHAR_DEVICE -> tree.createNode(parent, name, LibC.S_IFCHR, entry.deviceMajor(), entry.deviceMinor(), shown);
                    case BLOCK_DEVICE -> tree.createNode(parent, name, LibC.S_IFBLK, entry.deviceMajor(), entry.deviceMinor(), shown);
                    case FIFO -> tree.createNode(parent, name, LibC.S_IFIFO, 0, 0, shown);
                    case OTHER -> throw HawserException.invalidArgument("layer entry '" + shown + "' has tar type '"
                            + entry.typeFlag() + "', which a layer cannot hold");
                }
                written.add(path.toString());
                applyMetadata(parent, name, entry, shown);
                if (entry.kind() == TarReader.Kind.DIRECTORY) {
                    directoryTimes.remove(path.toString());
                    directoryTimes.put(path.toString(), new DirectoryTime(path, entry.modified(), shown));
                } else {
                    tree.setTimes(parent, name, entry.modified(), shown);
                }
            }
        }

        /**
         * Clears the way for an entry as tar does: a later entry replaces an earlier one, except
         * that a directory over a directory merges. Removing first, and creating with calls that
         * never follow a final symbolic link, is what defeats a symbolic link planted under the
         * name of a later file.
         *
         * @return whether an existing directory is kept for a directory entry
         */
        private boolean replaceExisting(Fd parent, String name, TarReader.Kind kind, String shown) throws IOException {
            int existing = tree.typeOf(parent, name, shown);
            if (existing == 0) {
                return false;
            }
            if (existing == LibC.S_IFDIR && kind == TarReader.Kind.DIRECTORY) {
                return true;
            }
            tree.removeAll(parent, name, shown);
            return false;
        }

        private void hardLink(Fd parent, String name, String linkName, String shown) throws IOException {
            EntryPath target = EntryPath.of(linkName, "hard link target of '" + shown + "'");
            if (target.isRoot()) {
                throw HawserException.invalidArgument("layer entry '" + shown + "' is a hard link to the root directory");
            }
            try (Fd targetParent = tree.openParent(target, shown, false)) {
                if (targetParent == null) {
                    throw HawserException.invalidArgument("layer entry '" + shown + "' is a hard link to '" + linkName
                            + "', which does not exist in the snapshot");
                }
                tree.createHardLink(targetParent, target.name(), parent, name, shown);
            }
        }

        /** Owner first: changing it clears setuid, setgid and file capabilities, so mode and xattrs follow. */
        private void applyMetadata(Fd parent, String name, TarReader.Entry entry, String shown) throws IOException {
            tree.changeOwner(parent, name, entry.uid(), entry.gid(), shown);
            if (entry.kind() != TarReader.Kind.SYMLINK) {
                tree.changeMode(parent, name, entry.mode(), shown);
            }
            for (Map.Entry<String, byte[]> xattr : entry.xattrs().entrySet()) {
                if (!tree.setXattr(parent, name, xattr.getKey(), xattr.getValue(), shown)) {
                    skippedXattrs.add(shown + ": " + xattr.getKey());
                }
            }
        }

        private void whiteout(EntryPath marker, String shown) throws IOException {
            String hidden = marker.name().substring(WHITEOUT_PREFIX.length());
            if (marker.name().equals(OPAQUE_MARKER)) {
                opaque(marker, shown);
            } else if (hidden.startsWith(WHITEOUT_PREFIX)) {
                // other .wh..wh. names are aufs bookkeeping (hard link directories), not content
                return;
            } else {
                EntryPath victim = marker.sibling(hidden, "whiteout");
                switch (whiteouts) {
                    case DELETE -> {
                        try (Fd parent = tree.openParent(victim, shown, false)) {
                            if (parent != null) {
                                tree.removeAll(parent, hidden, shown);
                            }
                        }
                        written.remove(victim.toString());
                    }
                    case OVERLAY -> {
                        try (Fd parent = tree.openParent(victim, shown, true)) {
                            tree.removeAll(parent, hidden, shown);
                            tree.createNode(parent, hidden, LibC.S_IFCHR, 0, 0, shown);
                        }
                        written.add(victim.toString());
                    }
                }
            }
        }

        /** The marker's parent is the opaque directory. */
        private void opaque(EntryPath marker, String shown) throws IOException {
            EntryPath directory = marker.parent();
            switch (whiteouts) {
                case DELETE -> {
                    try (Fd opened = tree.openParent(marker, shown, false)) {
                        if (opened != null) {
                            tree.removeExcept(opened, directory, written, shown);
                        }
                    }
                }
                case OVERLAY -> {
                    try (Fd opened = tree.openParent(marker, shown, true)) {
                        if (!tree.setXattr(opened, ".", OVERLAY_OPAQUE_XATTR, "y".getBytes(StandardCharsets.US_ASCII), shown)) {
                            throw new IOException("layer entry '" + shown + "': the snapshot's file system does not support "
                                    + OVERLAY_OPAQUE_XATTR + ", which overlayfs needs to make '" + directory + "' opaque");
                        }
                    }
                    written.add(directory.toString());
                }
            }
        }

        /** Sets directory times once nothing more is written into them. */
        void finishDirectories() throws IOException {
            List<DirectoryTime> times = new ArrayList<>(directoryTimes.values());
            for (DirectoryTime time : times.reversed()) {
                try (Fd parent = tree.openParent(time.path(), time.entry(), false)) {
                    if (parent != null && tree.typeOf(parent, time.path().name(), time.entry()) == LibC.S_IFDIR) {
                        tree.setTimes(parent, time.path().name(), time.modified(), time.entry());
                    }
                }
            }
        }
    }

    /**
     * Hashes every byte read, skipped ones included, so the digest is of the whole uncompressed
     * tar however the reader moves through it.
     */
    private static final class HashingInputStream extends FilterInputStream {
        private final MessageDigest hasher;
        private final byte[] skipBuffer = new byte[8192];

        HashingInputStream(InputStream in, MessageDigest hasher) {
            super(in);
            this.hasher = hasher;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                hasher.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                hasher.update(buffer, offset, n);
            }
            return n;
        }

        @Override
        public long skip(long count) throws IOException {
            int n = read(skipBuffer, 0, (int) Math.min(count, skipBuffer.length));
            return Math.max(n, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
