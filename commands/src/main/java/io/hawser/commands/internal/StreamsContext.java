package io.hawser.commands.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import io.hawser.frontend.CommandContext;

/**
 * A command context over plain streams.
 *
 * @param out      standard output
 * @param err      standard error
 * @param in       standard input
 * @param terminal whether the caller sits at a terminal
 * @param columns  the terminal's width
 * @param workingDirectory the caller's working directory
 * @param clientTerminal   the CLI client's terminal, {@code null} for a caller that cannot lend one
 */
public record StreamsContext(PrintStream out, PrintStream err, InputStream in, boolean terminal, int columns, Path workingDirectory,
        ClientTerminal clientTerminal) implements CommandContext {

    /** A context without a client terminal, as the Gogo console and tests give. */
    public StreamsContext(PrintStream out, PrintStream err, InputStream in, boolean terminal, int columns, Path workingDirectory) {
        this(out, err, in, terminal, columns, workingDirectory, null);
    }
}
