package io.hawser.images;

import java.io.IOException;
import java.io.Serial;

/**
 * An image operation refused for a reason the caller can act on. The subclasses form a closed set
 * so a frontend maps each to a status code; network and storage failures are plain
 * {@link IOException}s.
 */
public abstract sealed class ImageException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private ImageException(String message) {
        super(message);
    }

    /**
     * No image has the name, the registry has no such reference, or an index has no manifest for
     * the platform (gRPC {@code NOT_FOUND}). The message says which.
     */
    public static final class NotFound extends ImageException {
        @Serial
        private static final long serialVersionUID = 1L;

        public NotFound(String message) {
            super(message);
        }
    }

    /** An image with the name exists already (gRPC {@code ALREADY_EXISTS}). */
    public static final class AlreadyExists extends ImageException {
        @Serial
        private static final long serialVersionUID = 1L;

        public AlreadyExists(String name) {
            super("image " + name + " already exists");
        }
    }

    /** The registry refused the credentials, or wants some (gRPC {@code UNAUTHENTICATED}). */
    public static final class Unauthorized extends ImageException {
        @Serial
        private static final long serialVersionUID = 1L;

        public Unauthorized(String message) {
            super(message);
        }
    }

    /**
     * What the caller gave cannot be used: a malformed reference, an archive in no known format,
     * an unsupported media type (gRPC {@code INVALID_ARGUMENT}).
     */
    public static final class Invalid extends ImageException {
        @Serial
        private static final long serialVersionUID = 1L;

        public Invalid(String message) {
            super(message);
        }
    }
}
