package io.hawser.frontend;

import java.io.Serial;

/** A command failed in a way the operator should read: the message says what was wrong. */
public class CommandException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Exit status for a wrong flag or argument, as getopt-style tools use it. */
    public static final int USAGE = 2;

    private final int status;

    /** A failure with exit status 1. */
    public CommandException(String message) {
        this(message, 1);
    }

    /** A failure with the given exit status. */
    public CommandException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** A failure with exit status 1 and its cause. */
    public CommandException(String message, Throwable cause) {
        super(message, cause);
        this.status = 1;
    }

    /** The exit status the CLI ends with. */
    public int status() {
        return status;
    }
}
