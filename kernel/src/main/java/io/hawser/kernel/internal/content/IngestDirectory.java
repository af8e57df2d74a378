package io.hawser.kernel.internal.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import io.hawser.content.Digest;
import io.hawser.content.IngestStatus;

/**
 * One ingest on disk: a directory holding the bytes ({@code data}) and one small file per fact
 * ({@code ref}, {@code total}, {@code expected}, {@code startedat}, {@code updatedat}), plain text
 * so an operator can read them with {@code cat}.
 *
 * <p>The fact files are replaced atomically (written aside, then renamed) but not fsynced: losing
 * them in a crash only restarts the ingest, which is cheaper than an fsync per update.
 */
final class IngestDirectory {

    private static final String DATA = "data";
    private static final String REF = "ref";
    private static final String TOTAL = "total";
    private static final String EXPECTED = "expected";
    private static final String STARTED_AT = "startedat";
    private static final String UPDATED_AT = "updatedat";

    /** What an ingest was opened for; fixed until it restarts. */
    record Header(String ref, long total, Digest expected, Instant startedAt) {}

    private final Path directory;

    IngestDirectory(Path directory) {
        this.directory = directory;
    }

    Path path() {
        return directory;
    }

    Path data() {
        return directory.resolve(DATA);
    }

    /**
     * The header, or empty when the directory is gone or its fact files are missing or damaged (a
     * crash while it was being created): such an ingest cannot be resumed, only restarted.
     */
    Optional<Header> header() throws IOException {
        try {
            String expected = read(EXPECTED);
            return Optional.of(new Header(read(REF), Long.parseLong(read(TOTAL)),
                    expected.isEmpty() ? null : Digest.parse(expected), Instant.parse(read(STARTED_AT))));
        } catch (NoSuchFileException | IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** When bytes were last written, or when the directory last changed if that is unreadable. */
    Instant updatedAt() throws IOException {
        try {
            return Instant.parse(read(UPDATED_AT));
        } catch (NoSuchFileException | DateTimeParseException e) {
            return Files.getLastModifiedTime(directory).toInstant();
        }
    }

    /** The ingest's state, or empty when it is damaged or vanished (see {@link #header()}). */
    Optional<IngestStatus> status() throws IOException {
        Optional<Header> header = header();
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            long offset = Files.size(data());
            Header h = header.get();
            return Optional.of(new IngestStatus(h.ref(), offset, h.total(), h.expected(), h.startedAt(), updatedAt()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Starts the ingest afresh: whatever was in the directory is deleted. */
    void create(Header header) throws IOException {
        delete();
        Files.createDirectories(directory);
        Files.createFile(data());
        writeHeader(header);
        writeUpdatedAt(header.startedAt());
    }

    void writeHeader(Header header) throws IOException {
        write(REF, header.ref());
        write(TOTAL, Long.toString(header.total()));
        write(EXPECTED, header.expected() == null ? "" : header.expected().toString());
        write(STARTED_AT, header.startedAt().toString());
    }

    void writeUpdatedAt(Instant updatedAt) throws IOException {
        write(UPDATED_AT, updatedAt.toString());
    }

    /** Deletes the directory and everything in it; nothing happens when it is gone already. */
    void delete() throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (NoSuchFileException e) {
            // removed concurrently, which is what we wanted
        }
    }

    private String read(String name) throws IOException {
        return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
    }

    private void write(String name, String value) throws IOException {
        Path aside = directory.resolve("." + name + ".tmp");
        Files.writeString(aside, value, StandardCharsets.UTF_8);
        Files.move(aside, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
