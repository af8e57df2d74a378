package io.hawser.content;

import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * A content operation refused for a reason the caller can act on. The subclasses form a closed
 * set, so a frontend maps each to a status code with an exhaustive {@code switch}; failures of the
 * storage itself are plain {@link IOException}s.
 */
public abstract sealed class ContentException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private ContentException(String message) {
        super(message);
    }

    /** No blob has the digest, or no ingest has the ref (gRPC {@code NOT_FOUND}). */
    public static final class NotFound extends ContentException {
        @Serial
        private static final long serialVersionUID = 1L;

        /** No committed blob with this digest. */
        public NotFound(Digest digest) {
            super("content " + digest + " not found");
        }

        /** No ingest with this ref. */
        public NotFound(String ref) {
            super("ingest " + ref + " not found");
        }
    }

    /**
     * The blob is already committed (gRPC {@code ALREADY_EXISTS}). A writer that meets it has
     * nothing left to do: the caller treats it as success.
     */
    public static final class AlreadyExists extends ContentException {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Digest digest;

        public AlreadyExists(Digest digest) {
            super("content " + digest + " already exists");
            this.digest = Objects.requireNonNull(digest, "digest");
        }

        /** The blob that exists. */
        public Digest digest() {
            return digest;
        }
    }

    /**
     * Another writer holds the ref (gRPC {@code UNAVAILABLE}): the same blob is being fetched
     * concurrently. Retry later; by then the blob may exist.
     */
    public static final class Locked extends ContentException {
        @Serial
        private static final long serialVersionUID = 1L;

        public Locked(String ref) {
            super("ingest " + ref + " is locked by another writer");
        }
    }

    /** The bytes written are not as many as expected (gRPC {@code FAILED_PRECONDITION}). */
    public static final class SizeMismatch extends ContentException {
        @Serial
        private static final long serialVersionUID = 1L;

        private final long expected;
        private final long actual;

        public SizeMismatch(String ref, long expected, long actual) {
            super("ingest " + ref + ": expected " + expected + " bytes, got " + actual);
            this.expected = expected;
            this.actual = actual;
        }

        /** The size the caller expected. */
        public long expected() {
            return expected;
        }

        /** The size actually written. */
        public long actual() {
            return actual;
        }
    }

    /** The bytes written do not hash to the expected digest (gRPC {@code FAILED_PRECONDITION}). */
    public static final class DigestMismatch extends ContentException {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Digest expected;
        private final Digest actual;

        public DigestMismatch(String ref, Digest expected, Digest actual) {
            super("ingest " + ref + ": expected digest " + expected + ", got " + actual);
            this.expected = Objects.requireNonNull(expected, "expected");
            this.actual = Objects.requireNonNull(actual, "actual");
        }

        /** The digest the caller expected. */
        public Digest expected() {
            return expected;
        }

        /** The digest of the bytes actually written. */
        public Digest actual() {
            return actual;
        }
    }
}
