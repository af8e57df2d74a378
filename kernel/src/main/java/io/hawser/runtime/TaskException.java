package io.hawser.runtime;

import java.io.IOException;
import java.io.Serial;

/**
 * A task operation refused for a reason the caller can act on. The subclasses form a closed set
 * so a frontend maps each to a status code with an exhaustive {@code switch}; a failing runtime
 * binary or shim is a plain {@link IOException} whose message carries the runtime's own error.
 */
public abstract sealed class TaskException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private TaskException(String message) {
        super(message);
    }

    /** No task or process has the id (gRPC {@code NOT_FOUND}). */
    public static final class NotFound extends TaskException {
        @Serial
        private static final long serialVersionUID = 1L;

        public NotFound(String what) {
            super(what + " not found");
        }
    }

    /** A task or process with the id exists already (gRPC {@code ALREADY_EXISTS}). */
    public static final class AlreadyExists extends TaskException {
        @Serial
        private static final long serialVersionUID = 1L;

        public AlreadyExists(String what) {
            super(what + " already exists");
        }
    }

    /**
     * The task is in the wrong state: started twice, deleted while running, exec'd into while
     * stopped (gRPC {@code FAILED_PRECONDITION}). The message names the state.
     */
    public static final class FailedPrecondition extends TaskException {
        @Serial
        private static final long serialVersionUID = 1L;

        public FailedPrecondition(String message) {
            super(message);
        }
    }

    /**
     * The runtime does not offer the operation, for example pausing without a freezer or
     * checkpointing without CRIU (gRPC {@code UNIMPLEMENTED}).
     */
    public static final class Unsupported extends TaskException {
        @Serial
        private static final long serialVersionUID = 1L;

        public Unsupported(String message) {
            super(message);
        }
    }
}
