package io.hawser.snapshots;

import java.io.IOException;
import java.io.Serial;

/**
 * A snapshot operation refused for a reason the caller can act on. The subclasses form a closed
 * set so a frontend can map each to a status code with an exhaustive {@code switch}; failures of
 * the storage itself are plain {@link IOException}s.
 */
public abstract sealed class SnapshotException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private SnapshotException(String message) {
        super(message);
    }

    /** No snapshot has the given key or name (gRPC {@code NOT_FOUND}). */
    public static final class NotFound extends SnapshotException {
        @Serial
        private static final long serialVersionUID = 1L;

        public NotFound(String keyOrName) {
            super("snapshot " + keyOrName + " not found");
        }
    }

    /** A snapshot already has the key or name a new one was to get (gRPC {@code ALREADY_EXISTS}). */
    public static final class AlreadyExists extends SnapshotException {
        @Serial
        private static final long serialVersionUID = 1L;

        public AlreadyExists(String keyOrName) {
            super("snapshot " + keyOrName + " already exists");
        }
    }

    /**
     * The snapshot exists but is in the wrong state for the operation: the parent is not
     * committed, a view is to be committed, a committed snapshot with children is to be removed
     * (gRPC {@code FAILED_PRECONDITION}). The message says which.
     */
    public static final class FailedPrecondition extends SnapshotException {
        @Serial
        private static final long serialVersionUID = 1L;

        public FailedPrecondition(String message) {
            super(message);
        }
    }
}
