package io.hawser.kernel.internal.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.hawser.content.BlobExistsException;
import io.hawser.content.ContentInfo;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.content.IngestStatus;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.StoreTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LocalContentStoreTest extends StoreTestBase {

    private static final byte[] HELLO = "hello, content".getBytes(StandardCharsets.UTF_8);
    private static final Digest HELLO_DIGEST = Digest.sha256(HELLO);

    private LocalContentStore store;

    @Override
    protected void openStores() throws IOException {
        store = new LocalContentStore(root, metadata, clock);
    }

    private static void write(ContentWriter writer, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            writer.write(buffer);
        }
    }

    private static byte[] read(ContentStore store, Digest digest) throws IOException {
        try (SeekableByteChannel channel = store.reader(digest)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            return buffer.array();
        }
    }

    private Digest put(byte[] bytes) throws IOException {
        try (ContentWriter writer = store.writer("put-" + Digest.sha256(bytes), bytes.length, Digest.sha256(bytes))) {
            write(writer, bytes);
            return writer.commit(bytes.length, Digest.sha256(bytes), Map.of());
        }
    }

    private static HawserException refusal(ErrorCode code, Executable call) {
        HawserException refused = assertThrows(HawserException.class, call);
        assertEquals(code, refused.code(), refused.getMessage());
        return refused;
    }

    @Test
    void writtenBlobIsCommittedUnderItsDigestAndReadBack() throws IOException {
        try (ContentWriter writer = store.writer("hello", HELLO.length, HELLO_DIGEST)) {
            write(writer, HELLO);
            assertEquals(HELLO.length, writer.offset());
            assertEquals(HELLO_DIGEST, writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of("a", "b")));
        }
        assertArrayEquals(HELLO, read(store, HELLO_DIGEST));
        assertTrue(Files.isRegularFile(root.resolve("content/blobs/sha256/" + HELLO_DIGEST.hex())));
        ContentInfo info = store.info(HELLO_DIGEST);
        assertEquals(HELLO.length, info.size());
        assertEquals(Map.of("a", "b"), info.labels());
        assertEquals(clock.instant(), info.created());
        assertEquals(List.of(), store.statuses(), "a committed ingest is gone");
    }

    @Test
    void readerSeeks() throws IOException {
        put(HELLO);
        try (SeekableByteChannel channel = store.reader(HELLO_DIGEST)) {
            ByteBuffer tail = ByteBuffer.allocate(7);
            channel.position(7).read(tail);
            assertEquals("content", new String(tail.array(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void commitWithoutExpectationsUsesTheDigestOfWhatWasWritten() throws IOException {
        try (ContentWriter writer = store.writer("unknown", ContentStore.UNKNOWN_SIZE, null)) {
            write(writer, HELLO);
            assertEquals(HELLO_DIGEST, writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
        }
    }

    @Test
    void digestMismatchCommitsNothingAndKeepsTheIngestForRetry() throws IOException {
        byte[] corrupt = HELLO.clone();
        corrupt[3] ^= 1;
        try (ContentWriter writer = store.writer("mismatch", HELLO.length, HELLO_DIGEST)) {
            write(writer, corrupt);
            HawserException refused = refusal(ErrorCode.FAILED_PRECONDITION,
                    () -> writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
            assertTrue(refused.getMessage().contains("mismatch"), refused.getMessage());
            assertTrue(refused.getMessage().contains(HELLO_DIGEST.toString()), refused.getMessage());
            assertTrue(refused.getMessage().contains(Digest.sha256(corrupt).toString()), refused.getMessage());
            assertFalse(Files.exists(store.blobPath(HELLO_DIGEST)));
            assertFalse(Files.exists(store.blobPath(Digest.sha256(corrupt))));
            assertEquals(HELLO.length, store.status("mismatch").offset());

            writer.truncate(3);
            write(writer, new String(HELLO, 3, HELLO.length - 3, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            assertEquals(HELLO_DIGEST, writer.commit(HELLO.length, HELLO_DIGEST, Map.of()));
        }
        assertArrayEquals(HELLO, read(store, HELLO_DIGEST));
    }

    @Test
    void sizeMismatchCommitsNothing() throws IOException {
        try (ContentWriter writer = store.writer("short", ContentStore.UNKNOWN_SIZE, null)) {
            write(writer, HELLO);
            HawserException refused = refusal(ErrorCode.FAILED_PRECONDITION, () -> writer.commit(HELLO.length + 1, null, Map.of()));
            assertTrue(refused.getMessage().contains("short") && refused.getMessage().contains("expected size " + (HELLO.length + 1))
                    && refused.getMessage().contains("actual size " + HELLO.length), refused.getMessage());
            assertTrue(writer.isOpen());
        }
        assertFalse(Files.exists(store.blobPath(HELLO_DIGEST)));
        assertEquals(HELLO.length, store.status("short").offset(), "the bytes stay for a retry");
    }

    @Test
    void writingBeyondTheExpectedSizeIsRefusedBeforeAnyByteLands() throws IOException {
        try (ContentWriter writer = store.writer("too-much", 4, null)) {
            refusal(ErrorCode.FAILED_PRECONDITION, () -> writer.write(ByteBuffer.wrap(HELLO)));
            assertEquals(0, writer.offset());
        }
        assertEquals(0, store.status("too-much").offset());
    }

    @Test
    void closedWriterResumesAtItsOffsetWithTheRightDigest() throws IOException {
        try (ContentWriter first = store.writer("resume", HELLO.length, HELLO_DIGEST)) {
            write(first, Arrays.copyOf(HELLO, 5));
        }
        IngestStatus status = store.status("resume");
        assertEquals(5, status.offset());
        assertEquals(HELLO.length, status.total());
        assertEquals(HELLO_DIGEST, status.expected());
        try (ContentWriter second = store.writer("resume", HELLO.length, HELLO_DIGEST)) {
            assertEquals(5, second.offset());
            write(second, Arrays.copyOfRange(HELLO, 5, HELLO.length));
            assertEquals(HELLO_DIGEST, second.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
        }
    }

    @Test
    void ingestSurvivesACrashAndResumesInANewStore() throws IOException {
        byte[] big = new byte[3 << 20];
        new Random(42).nextBytes(big);
        Digest digest = Digest.sha256(big);
        // a writer never closed: the daemon died with it open
        ContentWriter abandoned = store.writer("crash", big.length, digest);
        write(abandoned, Arrays.copyOf(big, 2 << 20));
        restart();

        assertEquals(2 << 20, store.status("crash").offset());
        try (ContentWriter resumed = store.writer("crash", ContentStore.UNKNOWN_SIZE, null)) {
            assertEquals(2 << 20, resumed.offset());
            assertEquals(big.length, resumed.status().total(), "expectations of the first writer are kept");
            write(resumed, Arrays.copyOfRange(big, 2 << 20, big.length));
            assertEquals(digest, resumed.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
        }
        assertArrayEquals(big, read(store, digest));
    }

    @Test
    void ingestOpenedForAnotherBlobStartsOver() throws IOException {
        try (ContentWriter first = store.writer("reused", 100, null)) {
            write(first, HELLO);
        }
        try (ContentWriter second = store.writer("reused", HELLO.length, HELLO_DIGEST)) {
            assertEquals(0, second.offset());
            write(second, HELLO);
            assertEquals(HELLO_DIGEST, second.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
        }
    }

    @Test
    void damagedIngestIsRestarted() throws IOException {
        try (ContentWriter first = store.writer("damaged", ContentStore.UNKNOWN_SIZE, null)) {
            write(first, HELLO);
        }
        try (Stream<Path> directories = Files.list(root.resolve("content/ingest"))) {
            Files.delete(directories.findFirst().orElseThrow().resolve("startedat"));
        }
        refusal(ErrorCode.NOT_FOUND, () -> store.status("damaged"));
        try (ContentWriter second = store.writer("damaged", ContentStore.UNKNOWN_SIZE, null)) {
            assertEquals(0, second.offset());
        }
    }

    @Test
    void secondWriterOnARefIsRefusedUntilTheFirstCloses() throws Exception {
        ContentWriter first = store.writer("busy", ContentStore.UNKNOWN_SIZE, null);
        HawserException refused = refusal(ErrorCode.UNAVAILABLE, () -> store.writer("busy", ContentStore.UNKNOWN_SIZE, null));
        assertTrue(refused.getMessage().contains("ref busy is locked"), refused.getMessage());
        refusal(ErrorCode.UNAVAILABLE, () -> store.abort("busy"));
        first.close();
        store.writer("busy", ContentStore.UNKNOWN_SIZE, null).close();
    }

    @Test
    void concurrentWritersOnOneRefGetExactlyOneLock() throws Exception {
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            List<Callable<ContentWriter>> attempts = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                attempts.add(() -> store.writer("contended", ContentStore.UNKNOWN_SIZE, null));
            }
            int granted = 0;
            int locked = 0;
            for (Future<ContentWriter> attempt : pool.invokeAll(attempts)) {
                try {
                    attempt.get().close();
                    granted++;
                } catch (ExecutionException e) {
                    assertEquals(ErrorCode.UNAVAILABLE, ((HawserException) e.getCause()).code());
                    locked++;
                }
            }
            // a writer closed before another asked may let that one in, but never two at once
            assertTrue(granted >= 1 && granted + locked == contenders);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void committingAnExistingBlobRemovesTheIngestAndSaysItExists() throws IOException {
        put(HELLO);
        BlobExistsException atOpen = assertThrows(BlobExistsException.class, () -> store.writer("again", HELLO.length, HELLO_DIGEST));
        assertEquals(HELLO_DIGEST, atOpen.digest());

        try (ContentWriter writer = store.writer("again", ContentStore.UNKNOWN_SIZE, null)) {
            write(writer, HELLO);
            BlobExistsException atCommit = assertThrows(BlobExistsException.class,
                    () -> writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of()));
            assertEquals(HELLO_DIGEST, atCommit.digest());
            assertFalse(writer.isOpen());
        }
        refusal(ErrorCode.NOT_FOUND, () -> store.status("again"));
        assertArrayEquals(HELLO, read(store, HELLO_DIGEST));
    }

    @Test
    void deletedBlobIsGoneButAnOpenReaderKeepsReading() throws IOException {
        put(HELLO);
        try (SeekableByteChannel open = store.reader(HELLO_DIGEST)) {
            store.delete(HELLO_DIGEST);
            ByteBuffer buffer = ByteBuffer.allocate(HELLO.length);
            open.read(buffer);
            assertArrayEquals(HELLO, buffer.array());
        }
        refusal(ErrorCode.NOT_FOUND, () -> store.info(HELLO_DIGEST));
        refusal(ErrorCode.NOT_FOUND, () -> store.reader(HELLO_DIGEST));
        refusal(ErrorCode.NOT_FOUND, () -> store.delete(HELLO_DIGEST));
        refusal(ErrorCode.NOT_FOUND, () -> store.update(HELLO_DIGEST, Map.of()));
    }

    @Test
    void walkVisitsTheBlobsTheFilterAccepts() throws IOException {
        Digest a = put("a".getBytes(StandardCharsets.UTF_8));
        Digest bb = put("bb".getBytes(StandardCharsets.UTF_8));
        store.update(a, Map.of("keep", "yes"));
        // a file that is no digest is ignored, not served
        Files.writeString(root.resolve("content/blobs/sha256/not-a-digest"), "junk");

        List<Digest> all = new ArrayList<>();
        store.walk(info -> true, info -> all.add(info.digest()));
        assertEquals(List.of(a, bb).stream().sorted().toList(), all);

        List<Digest> labelled = new ArrayList<>();
        store.walk(info -> info.labels().containsKey("keep"), info -> labelled.add(info.digest()));
        assertEquals(List.of(a), labelled);

        List<Long> large = new ArrayList<>();
        store.walk(info -> info.size() > 1, info -> large.add(info.size()));
        assertEquals(List.of(2L), large);
    }

    @Test
    void labelsAndTimesSurviveReopening() throws IOException {
        put(HELLO);
        Instant created = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        ContentInfo updated = store.update(HELLO_DIGEST, Map.of("io.hawser.note", "kept"));
        assertEquals(created, updated.created());
        assertEquals(clock.instant(), updated.updated());
        restart();
        assertEquals(updated, store.info(HELLO_DIGEST));
    }

    @Test
    void blobWithoutDatabaseRecordStillExists() throws IOException {
        put(HELLO);
        metadata.transaction(connection -> connection.createStatement().executeUpdate("DELETE FROM content"));
        ContentInfo info = store.info(HELLO_DIGEST);
        assertEquals(Map.of(), info.labels());
        assertEquals(HELLO.length, info.size());
    }

    @Test
    void recordsOfVanishedBlobsAreForgotten() throws IOException {
        put(HELLO);
        Files.delete(store.blobPath(HELLO_DIGEST));
        assertEquals(1, store.forgetMissingBlobs());
        assertEquals(0, store.forgetMissingBlobs());
    }

    @Test
    void statusesListEveryIngestAndAbortRemovesOne() throws IOException {
        try (ContentWriter a = store.writer("a", 10, null); ContentWriter b = store.writer("b", ContentStore.UNKNOWN_SIZE, null)) {
            write(a, "123".getBytes(StandardCharsets.UTF_8));
            assertEquals(3, a.status().offset());
            assertFalse(b.status().totalKnown());
        }
        List<IngestStatus> statuses = store.statuses();
        assertEquals(List.of("a", "b"), statuses.stream().map(IngestStatus::ref).toList());
        assertEquals(3, statuses.getFirst().offset());
        store.abort("a");
        assertEquals(List.of("b"), store.statuses().stream().map(IngestStatus::ref).toList());
        refusal(ErrorCode.NOT_FOUND, () -> store.abort("a"));
        refusal(ErrorCode.NOT_FOUND, () -> store.status("a"));
    }

    @Test
    void refsNeverBecomePaths() throws IOException {
        String hostile = "../../../../etc/passwd";
        try (ContentWriter writer = store.writer(hostile, ContentStore.UNKNOWN_SIZE, null)) {
            write(writer, HELLO);
        }
        assertEquals(hostile, store.status(hostile).ref());
        try (Stream<Path> ingests = Files.list(root.resolve("content/ingest"))) {
            assertEquals(List.of(Digest.sha256(hostile.getBytes(StandardCharsets.UTF_8)).hex()),
                    ingests.map(path -> path.getFileName().toString()).toList());
        }
        refusal(ErrorCode.INVALID_ARGUMENT, () -> store.writer(" ", ContentStore.UNKNOWN_SIZE, null));
    }

    @Test
    void ingestAgeFollowsWrites() throws IOException {
        Instant start = clock.instant();
        try (ContentWriter writer = store.writer("aging", ContentStore.UNKNOWN_SIZE, null)) {
            clock.advance(Duration.ofHours(2));
            write(writer, HELLO);
        }
        IngestStatus status = store.status("aging");
        assertEquals(start, status.startedAt());
        assertEquals(start.plus(Duration.ofHours(2)), status.updatedAt());

        assertEquals(List.of(), store.removeIngestsBefore(start.plus(Duration.ofHours(1)), ref -> false));
        assertEquals(List.of(), store.removeIngestsBefore(start.plus(Duration.ofHours(3)), ref -> ref.equals("aging")));
        assertEquals(List.of("aging"), store.removeIngestsBefore(start.plus(Duration.ofHours(3)), ref -> false));
    }

    @Test
    void ingestHeldByAWriterIsNotSwept() throws IOException {
        try (ContentWriter writer = store.writer("held", ContentStore.UNKNOWN_SIZE, null)) {
            assertEquals(List.of(), store.removeIngestsBefore(clock.instant().plus(Duration.ofDays(2)), ref -> false));
            assertEquals(0, writer.offset());
        }
    }
}
