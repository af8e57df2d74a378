package io.hawser.kernel.internal.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.hawser.content.BlobExistsException;
import io.hawser.content.ContentInfo;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.content.DigestAlgorithm;
import io.hawser.content.IngestStatus;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.metadata.ContentLabels;
import io.hawser.kernel.internal.metadata.ContentLabels.BlobRecord;
import io.hawser.kernel.internal.metadata.Metadata;

/**
 * The content store on the local filesystem.
 *
 * <pre>
 * &lt;root&gt;/content/blobs/&lt;algorithm&gt;/&lt;hex&gt;       committed blobs, read-only once there
 * &lt;root&gt;/content/ingest/&lt;sha256 of ref&gt;/     one directory per ingest (see {@link IngestDirectory})
 * </pre>
 *
 * <p>A blob's file is the truth about its existence; its labels and times live in the metadata
 * database ({@link ContentLabels}). Ingest directories are named by a hash of the ref so no ref,
 * whatever characters it holds, can name a path outside the ingest directory.
 *
 * <p>Commit links the verified data file to its blob name, which fails when the name exists, so
 * two writers committing the same blob cannot both succeed and a reader sees either no file or
 * the complete one. The data is fsynced before the link and the blob directory after it: once
 * commit returns, the blob survives a crash.
 *
 * <p>The store has a read-write lock: opening writers, committing and aborting share it, and
 * {@link #exclusively} takes it whole, which the garbage collector does so that no blob appears
 * between its mark and its sweep.
 */
public class LocalContentStore implements ContentStore {

    private static final int COPY_BUFFER_SIZE = 1 << 20;

    private final Path blobs;
    private final Path ingests;
    private final ContentLabels labels;
    private final Clock clock;
    private final ReadWriteLock storeLock = new ReentrantReadWriteLock();
    /** Refs a writer or an abort holds; the in-process lock of an ingest. */
    private final Set<String> heldRefs = ConcurrentHashMap.newKeySet();

    /** Work that may fail with an {@link IOException}, run while the store is locked. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws IOException;
    }

    public LocalContentStore(Path root, Metadata metadata, Clock clock) throws IOException {
        this.blobs = root.resolve("content").resolve("blobs");
        this.ingests = root.resolve("content").resolve("ingest");
        this.labels = new ContentLabels(metadata);
        this.clock = clock;
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            Files.createDirectories(blobs.resolve(algorithm.label()));
        }
        Files.createDirectories(ingests);
        // the algorithm directories must survive a crash, or the blobs committed into them would not
        fsyncDirectory(blobs);
    }

    /** Where a blob's file is; the digest's own validation keeps it inside the blob directory. */
    Path blobPath(Digest digest) {
        return blobs.resolve(digest.algorithm().label()).resolve(digest.hex());
    }

    private IngestDirectory ingest(String ref) {
        return new IngestDirectory(ingests.resolve(Digest.sha256(ref.getBytes(StandardCharsets.UTF_8)).hex()));
    }

    @Override
    public ContentInfo info(Digest digest) throws IOException {
        return info(digest, labels.get(digest))
                .orElseThrow(() -> HawserException.notFound("content " + digest));
    }

    /** The blob's info from its file and its database record, or empty when the file is gone. */
    private Optional<ContentInfo> info(Digest digest, Optional<BlobRecord> record) throws IOException {
        Path file = blobPath(digest);
        try {
            long size = Files.size(file);
            // a crash between committing the file and writing its row leaves no record: the file's time stands in
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            BlobRecord known = record.orElse(new BlobRecord(Map.of(), modified, modified));
            return Optional.of(new ContentInfo(digest, size, known.labels(), known.created(), known.updated()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public SeekableByteChannel reader(Digest digest) throws IOException {
        try {
            return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw HawserException.notFound("content " + digest);
        }
    }

    @Override
    public void delete(Digest digest) throws IOException {
        try {
            Files.delete(blobPath(digest));
        } catch (NoSuchFileException e) {
            throw HawserException.notFound("content " + digest);
        }
        labels.remove(digest);
    }

    @Override
    public void walk(Predicate<? super ContentInfo> filter, Consumer<? super ContentInfo> visitor) throws IOException {
        Map<Digest, BlobRecord> records = labels.all();
        for (Digest digest : committedDigests()) {
            Optional<ContentInfo> info = info(digest, Optional.ofNullable(records.get(digest)));
            if (info.isPresent() && filter.test(info.get())) {
                visitor.accept(info.get());
            }
        }
    }

    /** The digests of the blob files there are now; files that are no digest are passed over. */
    private List<Digest> committedDigests() throws IOException {
        List<Digest> digests = new ArrayList<>();
        for (DigestAlgorithm algorithm : DigestAlgorithm.values()) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(blobs.resolve(algorithm.label()))) {
                for (Path file : files) {
                    try {
                        digests.add(new Digest(algorithm, file.getFileName().toString()));
                    } catch (IllegalArgumentException notADigest) {
                        // not ours (an editor's backup, a stray temporary file): never served, never deleted
                    }
                }
            }
        }
        digests.sort(null);
        return digests;
    }

    @Override
    public ContentInfo update(Digest digest, Map<String, String> newLabels) throws IOException {
        ContentInfo current = info(digest);
        BlobRecord updated = new BlobRecord(newLabels, current.created(), now());
        labels.put(digest, updated);
        return new ContentInfo(digest, current.size(), updated.labels(), updated.created(), updated.updated());
    }

    @Override
    public ContentWriter writer(String ref, long expectedSize, Digest expectedDigest) throws IOException {
        requireRef(ref);
        if (expectedSize < UNKNOWN_SIZE) {
            throw HawserException.invalidArgument("expected size of ingest " + ref + " must be a size or unknown, got " + expectedSize);
        }
        if (expectedDigest != null && Files.exists(blobPath(expectedDigest))) {
            throw new BlobExistsException(expectedDigest);
        }
        storeLock.readLock().lock();
        try {
            hold(ref);
            try {
                return open(ref, expectedSize, expectedDigest);
            } catch (IOException | RuntimeException e) {
                release(ref);
                throw e;
            }
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /** Resumes the ingest when it matches the expectations, else starts it afresh. */
    private IngestWriter open(String ref, long expectedSize, Digest expectedDigest) throws IOException {
        IngestDirectory directory = ingest(ref);
        Optional<IngestDirectory.Header> existing = directory.header().filter(header -> header.ref().equals(ref));
        if (existing.isPresent() && Files.exists(directory.data())) {
            IngestDirectory.Header old = existing.get();
            boolean otherSize = expectedSize != UNKNOWN_SIZE && old.total() != UNKNOWN_SIZE && expectedSize != old.total();
            boolean otherDigest = expectedDigest != null && old.expected() != null && !expectedDigest.equals(old.expected());
            long kept = Files.size(directory.data());
            long total = expectedSize != UNKNOWN_SIZE ? expectedSize : old.total();
            // bytes beyond the expected size cannot belong to the blob, so they are not worth resuming
            if (!otherSize && !otherDigest && (total == UNKNOWN_SIZE || kept <= total)) {
                IngestDirectory.Header merged = new IngestDirectory.Header(ref, total,
                        expectedDigest != null ? expectedDigest : old.expected(), old.startedAt());
                if (!merged.equals(old)) {
                    directory.writeHeader(merged);
                }
                return new IngestWriter(this, directory, merged, clock);
            }
        }
        IngestDirectory.Header fresh = new IngestDirectory.Header(ref, expectedSize, expectedDigest, now());
        directory.create(fresh);
        return new IngestWriter(this, directory, fresh, clock);
    }

    private void hold(String ref) throws HawserException {
        if (!heldRefs.add(ref)) {
            throw HawserException.unavailable("ref " + ref + " is locked by another writer");
        }
    }

    /** Gives the ref back; called by the writer when it closes or commits. */
    void release(String ref) {
        heldRefs.remove(ref);
    }

    /**
     * Makes an ingest's verified, fsynced data file the blob, then removes the ingest. Called by
     * the writer after it has checked size and digest and closed its channel.
     *
     * @throws BlobExistsException when the blob is there already; the ingest is removed anyway
     */
    void commit(IngestDirectory directory, Digest digest, Map<String, String> blobLabels) throws IOException {
        storeLock.readLock().lock();
        try {
            Path target = blobPath(digest);
            try {
                // a link, unlike a rename, refuses to replace an existing name: exactly one committer wins
                Files.createLink(target, directory.data());
            } catch (FileAlreadyExistsException e) {
                directory.delete();
                throw new BlobExistsException(digest);
            }
            fsyncDirectory(target.getParent());
            Instant now = now();
            labels.put(digest, new BlobRecord(blobLabels, now, now));
            directory.delete();
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public IngestStatus status(String ref) throws IOException {
        requireRef(ref);
        return ingest(ref).status()
                .filter(status -> status.ref().equals(ref))
                .orElseThrow(() -> HawserException.notFound("ingest " + ref));
    }

    @Override
    public List<IngestStatus> statuses() throws IOException {
        List<IngestStatus> statuses = new ArrayList<>();
        for (IngestDirectory directory : ingestDirectories()) {
            directory.status().ifPresent(statuses::add);
        }
        statuses.sort((a, b) -> a.ref().compareTo(b.ref()));
        return statuses;
    }

    private List<IngestDirectory> ingestDirectories() throws IOException {
        List<IngestDirectory> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ingests, Files::isDirectory)) {
            entries.forEach(entry -> directories.add(new IngestDirectory(entry)));
        }
        return directories;
    }

    @Override
    public void abort(String ref) throws IOException {
        requireRef(ref);
        storeLock.readLock().lock();
        try {
            hold(ref);
            try {
                IngestDirectory directory = ingest(ref);
                if (!Files.exists(directory.path())) {
                    throw HawserException.notFound("ingest " + ref);
                }
                directory.delete();
            } finally {
                release(ref);
            }
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * Runs work while no writer opens, commits or aborts: the garbage collector's guarantee that no
     * blob appears between its mark and its sweep. Writers already open keep writing; they commit
     * when the work is done.
     */
    public <T> T exclusively(LockedWork<T> work) throws IOException {
        storeLock.writeLock().lock();
        try {
            return work.run();
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /**
     * Deletes the ingests last written before a cutoff, except those a writer holds now and those
     * the caller keeps. A damaged ingest (no readable ref) is judged by its directory's time.
     *
     * @param keep refs not to delete, for example those a lease holds
     * @return the refs deleted; a damaged ingest is named by its directory
     */
    public List<String> removeIngestsBefore(Instant cutoff, Predicate<String> keep) throws IOException {
        List<String> removed = new ArrayList<>();
        for (IngestDirectory directory : ingestDirectories()) {
            Optional<IngestDirectory.Header> header = directory.header();
            String name = header.map(IngestDirectory.Header::ref).orElse(directory.path().toString());
            if (header.isPresent() && (heldRefs.contains(name) || keep.test(name))) {
                continue;
            }
            if (directory.updatedAt().isBefore(cutoff)) {
                directory.delete();
                removed.add(name);
            }
        }
        removed.sort(null);
        return removed;
    }

    /**
     * Drops the database records of blobs whose files are gone (a crash between deleting a file
     * and its record).
     *
     * @return how many records were dropped
     */
    public int forgetMissingBlobs() throws IOException {
        return labels.retainOnly(new HashSet<>(committedDigests()));
    }

    private Instant now() {
        return clock.instant();
    }

    private static void requireRef(String ref) throws HawserException {
        if (ref == null || ref.isBlank()) {
            throw HawserException.invalidArgument("an ingest needs a ref that is not blank");
        }
    }

    /** Digests the first {@code length} bytes of a file. */
    static Digest digestOf(Path file, long length, DigestAlgorithm algorithm) throws IOException {
        MessageDigest hasher = algorithm.newHasher();
        hashInto(hasher, file, length);
        return algorithm.fromHash(hasher.digest());
    }

    /** Feeds the first {@code length} bytes of a file to a hasher. */
    static void hashInto(MessageDigest hasher, Path file, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(COPY_BUFFER_SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long left = length;
            while (left > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), left));
                int read = channel.read(buffer);
                if (read < 0) {
                    throw new IOException(file + " is shorter than " + length + " bytes");
                }
                hasher.update(buffer.flip());
                left -= read;
            }
        }
    }

    /** Makes a directory's entries durable: a rename or link is lost in a crash until then. */
    static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
