package io.hawser.content;

import java.io.Serial;
import java.util.Objects;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;

/**
 * The blob is committed already ({@link ErrorCode#ALREADY_EXISTS}). A writer that meets it has
 * nothing left to write, so the caller treats it as success; {@link #digest()} tells which blob,
 * which matters when the caller committed without naming the digest.
 */
public final class BlobExistsException extends HawserException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Digest digest;

    public BlobExistsException(Digest digest) {
        super(ErrorCode.ALREADY_EXISTS, "content " + Objects.requireNonNull(digest, "digest") + " already exists");
        this.digest = digest;
    }

    /** The blob that exists. */
    public Digest digest() {
        return digest;
    }
}
