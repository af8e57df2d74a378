package io.hawser.kernel.internal.archive;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * A content store in memory for tests, verifying size and digest at commit as the real store
 * does, so an archive whose blob lies about its digest is refused the same way.
 */
final class MemoryContentStore implements ContentStore {

    private final Map<Digest, ContentInfo> infos = new ConcurrentHashMap<>();
    private final Map<Digest, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Ingest> ingests = new ConcurrentHashMap<>();

    private static final class Ingest {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final long total;
        final Digest expected;
        final Instant started = Instant.now();
        boolean held;

        Ingest(long total, Digest expected) {
            this.total = total;
            this.expected = expected;
        }

        IngestStatus status(String ref) {
            return new IngestStatus(ref, bytes.size(), total, expected, started, started);
        }
    }

    /** The bytes of a committed blob. */
    byte[] bytes(Digest digest) throws HawserException {
        byte[] data = blobs.get(digest);
        if (data == null) {
            throw HawserException.notFound("content " + digest);
        }
        return data;
    }

    @Override
    public ContentInfo info(Digest digest) throws IOException {
        ContentInfo info = infos.get(digest);
        if (info == null) {
            throw HawserException.notFound("content " + digest);
        }
        return info;
    }

    @Override
    public SeekableByteChannel reader(Digest digest) throws IOException {
        return new ByteArrayChannel(bytes(digest));
    }

    @Override
    public synchronized ContentWriter writer(String ref, long expectedSize, Digest expectedDigest) throws IOException {
        if (expectedDigest != null && blobs.containsKey(expectedDigest)) {
            throw new BlobExistsException(expectedDigest);
        }
        Ingest ingest = ingests.get(ref);
        if (ingest != null && ingest.held) {
            throw HawserException.unavailable("ingest " + ref + " is held by another writer");
        }
        if (ingest == null || ingest.total != expectedSize || !Objects.equals(ingest.expected, expectedDigest)) {
            ingest = new Ingest(expectedSize, expectedDigest);
            ingests.put(ref, ingest);
        }
        ingest.held = true;
        return new Writer(ref, ingest);
    }

    private final class Writer implements ContentWriter {
        private final String ref;
        private final Ingest ingest;
        private boolean open = true;

        Writer(String ref, Ingest ingest) {
            this.ref = ref;
            this.ingest = ingest;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ensureOpen();
            int n = src.remaining();
            byte[] chunk = new byte[n];
            src.get(chunk);
            ingest.bytes.write(chunk);
            return n;
        }

        @Override
        public String ref() {
            return ref;
        }

        @Override
        public long offset() {
            return ingest.bytes.size();
        }

        @Override
        public IngestStatus status() {
            return ingest.status(ref);
        }

        @Override
        public Digest commit(long size, Digest digest, Map<String, String> labels) throws IOException {
            ensureOpen();
            long wantSize = size != UNKNOWN_SIZE ? size : ingest.total;
            Digest wantDigest = digest != null ? digest : ingest.expected;
            byte[] data = ingest.bytes.toByteArray();
            if (wantSize != UNKNOWN_SIZE && wantSize != data.length) {
                throw HawserException.failedPrecondition("ingest " + ref + ": expected size " + wantSize + ", got " + data.length);
            }
            DigestAlgorithm algorithm = wantDigest != null ? wantDigest.algorithm() : DigestAlgorithm.SHA256;
            Digest actual = algorithm.digest(data);
            if (wantDigest != null && !wantDigest.equals(actual)) {
                throw HawserException.failedPrecondition("ingest " + ref + ": expected digest " + wantDigest + ", got " + actual);
            }
            synchronized (MemoryContentStore.this) {
                ingests.remove(ref);
                open = false;
                if (blobs.putIfAbsent(actual, data) != null) {
                    throw new BlobExistsException(actual);
                }
                Instant now = Instant.now();
                infos.put(actual, new ContentInfo(actual, data.length, labels, now, now));
            }
            return actual;
        }

        @Override
        public InputStream readWritten() {
            return new ByteArrayInputStream(ingest.bytes.toByteArray());
        }

        @Override
        public void truncate(long size) throws IOException {
            ensureOpen();
            if (size < 0 || size > offset()) {
                throw new IllegalArgumentException("bad truncation size " + size);
            }
            byte[] kept = java.util.Arrays.copyOf(ingest.bytes.toByteArray(), (int) size);
            ingest.bytes.reset();
            ingest.bytes.write(kept);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            synchronized (MemoryContentStore.this) {
                open = false;
                ingest.held = false;
            }
        }

        private void ensureOpen() throws ClosedChannelException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }

    @Override
    public void delete(Digest digest) throws IOException {
        info(digest);
        infos.remove(digest);
        blobs.remove(digest);
    }

    @Override
    public void walk(Predicate<? super ContentInfo> filter, Consumer<? super ContentInfo> visitor) {
        infos.values().stream().filter(filter).forEach(visitor);
    }

    @Override
    public ContentInfo update(Digest digest, Map<String, String> labels) throws IOException {
        ContentInfo old = info(digest);
        ContentInfo updated = new ContentInfo(digest, old.size(), labels, old.created(), Instant.now());
        infos.put(digest, updated);
        return updated;
    }

    @Override
    public IngestStatus status(String ref) throws IOException {
        Ingest ingest = ingests.get(ref);
        if (ingest == null) {
            throw HawserException.notFound("ingest " + ref);
        }
        return ingest.status(ref);
    }

    @Override
    public List<IngestStatus> statuses() {
        return ingests.entrySet().stream().map(e -> e.getValue().status(e.getKey())).toList();
    }

    @Override
    public synchronized void abort(String ref) throws IOException {
        Ingest ingest = ingests.get(ref);
        if (ingest == null) {
            throw HawserException.notFound("ingest " + ref);
        }
        if (ingest.held) {
            throw HawserException.unavailable("ingest " + ref + " is held by a writer");
        }
        ingests.remove(ref);
    }

    /** A read-only channel over bytes. */
    private static final class ByteArrayChannel implements SeekableByteChannel {
        private final byte[] data;
        private long position;
        private boolean open = true;

        ByteArrayChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
