package io.hawser.errors;

/**
 * What kind of refusal a {@link HawserException} is. Each constant has the name of the gRPC status
 * code a frontend answers with; the package documentation gives the mapping.
 */
public enum ErrorCode {

    /**
     * The request itself cannot be used, whatever the daemon's state: a malformed image
     * reference, an archive in no known format, a media type Hawser cannot handle.
     */
    INVALID_ARGUMENT,

    /** The object named does not exist: no such snapshot, blob, ingest, image, task or process. */
    NOT_FOUND,

    /** An object with the name or digest a new one was to get exists already. */
    ALREADY_EXISTS,

    /**
     * The object exists but its state forbids the operation: a parent that is not committed, a
     * task started twice or deleted while running, a committed ingest whose bytes do not have the
     * expected size or digest (the caller fixes the ingest and commits again, so it is a state to
     * repair, not lost data). Retrying unchanged fails again.
     */
    FAILED_PRECONDITION,

    /**
     * The runtime or plugin does not offer the operation at all: checkpointing without CRIU,
     * pausing without a freezer, an IO variant a runtime cannot serve.
     */
    UNIMPLEMENTED,

    /**
     * The operation cannot run now but may succeed later unchanged: another writer holds an
     * ingest's ref. Retrying after a while is right.
     */
    UNAVAILABLE,

    /** A registry wants credentials, or refused those it was given (HTTP 401). */
    UNAUTHENTICATED
}
