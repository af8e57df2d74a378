package io.hawser.kernel.internal.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.content.DigestAlgorithm;
import io.hawser.content.IngestStatus;
import io.hawser.errors.HawserException;

/**
 * The writer of one ingest of a {@link LocalContentStore}. It digests the bytes as they pass, so
 * commit costs no second read; on resume it digests what an earlier attempt left once, since a
 * hasher's state cannot be saved across a crash.
 */
final class IngestWriter implements ContentWriter {

    /**
     * How often {@code updatedat} is rewritten while bytes arrive. The garbage collector measures
     * ingest age in hours, so a second's staleness costs nothing and saves a file write per chunk.
     */
    private static final Duration UPDATE_INTERVAL = Duration.ofSeconds(1);

    private final LocalContentStore store;
    private final IngestDirectory directory;
    private final IngestDirectory.Header header;
    private final Clock clock;
    private final FileChannel channel;
    private MessageDigest hasher;
    private long offset;
    private Instant updatedAt;
    private Instant persistedUpdatedAt;
    private boolean open = true;

    IngestWriter(LocalContentStore store, IngestDirectory directory, IngestDirectory.Header header, Clock clock) throws IOException {
        this.store = store;
        this.directory = directory;
        this.header = header;
        this.clock = clock;
        this.channel = FileChannel.open(directory.data(), StandardOpenOption.WRITE);
        try {
            this.offset = channel.size();
            channel.position(offset);
            this.hasher = algorithm().newHasher();
            LocalContentStore.hashInto(hasher, directory.data(), offset);
            this.updatedAt = directory.updatedAt();
            this.persistedUpdatedAt = updatedAt;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The algorithm the expected digest uses; SHA-256 when there is none yet. */
    private DigestAlgorithm algorithm() {
        return header.expected() != null ? header.expected().algorithm() : DigestAlgorithm.SHA256;
    }

    @Override
    public InputStream readWritten() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        // this writer is the ingest's only one, so the file holds exactly the bytes up to offset
        return Files.newInputStream(directory.data());
    }

    @Override
    public String ref() {
        return header.ref();
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public IngestStatus status() {
        return new IngestStatus(header.ref(), offset, header.total(), header.expected(), header.startedAt(), updatedAt);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        requireOpen();
        int length = source.remaining();
        if (header.total() != ContentStore.UNKNOWN_SIZE && offset + length > header.total()) {
            // refuse before writing: a source that sends more than announced must not fill the disk
            throw HawserException.failedPrecondition("ingest " + header.ref() + ": " + (offset + length)
                    + " bytes would exceed the expected size " + header.total());
        }
        ByteBuffer written = source.duplicate();
        while (source.hasRemaining()) {
            channel.write(source);
        }
        hasher.update(written.limit(written.position() + length));
        offset += length;
        touch(false);
        return length;
    }

    @Override
    public void truncate(long size) throws IOException {
        requireOpen();
        if (size < 0 || size > offset) {
            throw new IllegalArgumentException("ingest " + header.ref() + " can be cut to 0.." + offset + " bytes, not " + size);
        }
        channel.truncate(size);
        channel.position(size);
        hasher = algorithm().newHasher();
        LocalContentStore.hashInto(hasher, directory.data(), size);
        offset = size;
        touch(true);
    }

    @Override
    public Digest commit(long size, Digest digest, Map<String, String> labels) throws IOException {
        requireOpen();
        long expectedSize = size != ContentStore.UNKNOWN_SIZE ? size : header.total();
        Digest expected = digest != null ? digest : header.expected();
        if (expectedSize != ContentStore.UNKNOWN_SIZE && expectedSize != offset) {
            throw HawserException.failedPrecondition("ingest " + header.ref() + ": expected size " + expectedSize
                    + ", actual size " + offset);
        }
        Digest actual = digestSoFar(expected == null ? algorithm() : expected.algorithm());
        if (expected != null && !expected.equals(actual)) {
            throw HawserException.failedPrecondition("ingest " + header.ref() + ": expected digest " + expected
                    + ", actual digest " + actual);
        }
        // the bytes must be on disk before the name that promises them is
        channel.force(true);
        open = false;
        try {
            channel.close();
            store.commit(directory, actual, labels);
            return actual;
        } finally {
            store.release(header.ref());
        }
    }

    /** The digest of the bytes written so far, leaving the running hasher untouched. */
    private Digest digestSoFar(DigestAlgorithm wanted) throws IOException {
        if (wanted == algorithm()) {
            try {
                return wanted.fromHash(((MessageDigest) hasher.clone()).digest());
            } catch (CloneNotSupportedException e) {
                // a provider whose hasher cannot be copied: read the bytes again instead
            }
        }
        return LocalContentStore.digestOf(directory.data(), offset, wanted);
    }

    private void touch(boolean persistNow) throws IOException {
        updatedAt = clock.instant();
        if (persistNow || Duration.between(persistedUpdatedAt, updatedAt).compareTo(UPDATE_INTERVAL) >= 0) {
            directory.writeUpdatedAt(updatedAt);
            persistedUpdatedAt = updatedAt;
        }
    }

    private void requireOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Keeps the ingest for a later writer: its bytes are fsynced so they outlive a crash too. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            directory.writeUpdatedAt(updatedAt);
            channel.force(true);
        } finally {
            channel.close();
            store.release(header.ref());
        }
    }
}
