package io.hawser.commands.internal.containers;

import java.util.Locale;

import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;

/**
 * The exit statuses of {@code run} and {@code exec} when the container's process never ran,
 * docker's convention, so scripts written for docker read them the same: 125 when the request or
 * the daemon failed, 126 when the command exists but cannot be executed, 127 when it does not
 * exist. Otherwise they exit with the process's own status.
 */
final class ExitCodes {

    /** The request was wrong or the daemon failed before the process ran. */
    static final int DAEMON = 125;
    /** The command was found but could not be executed (not executable, a directory). */
    static final int CANNOT_EXECUTE = 126;
    /** The command was not found in the image. */
    static final int NOT_FOUND = 127;

    private ExitCodes() {}

    /**
     * The status for a failure to create or start a process, from the runtime's message: runc
     * reports a missing command as {@code exec: "x": executable file not found in $PATH} or
     * {@code no such file or directory}, and one it may not run as {@code permission denied}.
     */
    static int forStartFailure(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return NOT_FOUND;
        }
        if (m.contains("permission denied") || m.contains("is a directory")) {
            return CANNOT_EXECUTE;
        }
        return DAEMON;
    }

    /** A start failure as the command's error. */
    static CommandException startFailure(Exception e) {
        return new CommandException(e.getMessage(), forStartFailure(e.getMessage()));
    }

    /** A usage error of {@code run} or {@code exec}: status 125 as docker has it, so the synopsis goes into the message. */
    static CommandException usage(CommandException e, String command, String usage) {
        return new CommandException(e.getMessage() + " (usage: hawser " + command + " " + usage + ")", DAEMON);
    }

    /** {@code -it} needs a terminal to take keys from, as docker insists. */
    static void requireTerminal(boolean tty, boolean interactive, CommandContext context) throws CommandException {
        if (tty && interactive && !context.terminal()) {
            throw new CommandException("the input device is not a TTY: drop -t, or run from a terminal", DAEMON);
        }
    }

    /** Any error of {@code run} or {@code exec} before the process ran, with status 125; usage errors keep their text. */
    static CommandException daemon(Exception e) {
        return new CommandException(e.getMessage(), DAEMON);
    }
}
