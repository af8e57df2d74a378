package io.hawser.errors;

import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * An operation refused for a reason the caller can act on, classified by an {@link ErrorCode}. The
 * package documentation explains why all API packages share it and how frontends map it. Create it
 * with the factory methods, which word the messages consistently; the class stays open only for
 * exceptions that carry data a caller needs, such as the digest of a blob that exists already.
 */
public class HawserException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public HawserException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public HawserException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The kind of refusal. */
    public ErrorCode code() {
        return code;
    }

    /** {@code what} does not exist; {@code what} is a noun phrase such as {@code "snapshot k1"}. */
    public static HawserException notFound(String what) {
        return new HawserException(ErrorCode.NOT_FOUND, what + " not found");
    }

    /** {@code what} exists already; {@code what} is a noun phrase such as {@code "image x"}. */
    public static HawserException alreadyExists(String what) {
        return new HawserException(ErrorCode.ALREADY_EXISTS, what + " already exists");
    }

    /** The object's state forbids the operation; the message names the object and its state. */
    public static HawserException failedPrecondition(String message) {
        return new HawserException(ErrorCode.FAILED_PRECONDITION, message);
    }

    /** The request cannot be used; the message says which part and why. */
    public static HawserException invalidArgument(String message) {
        return new HawserException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** Credentials are missing or refused; the message names the registry. */
    public static HawserException unauthenticated(String message) {
        return new HawserException(ErrorCode.UNAUTHENTICATED, message);
    }

    /** The operation may succeed if retried later; the message says what is busy. */
    public static HawserException unavailable(String message) {
        return new HawserException(ErrorCode.UNAVAILABLE, message);
    }

    /** The operation is not offered; the message names it and who lacks it. */
    public static HawserException unimplemented(String message) {
        return new HawserException(ErrorCode.UNIMPLEMENTED, message);
    }
}
