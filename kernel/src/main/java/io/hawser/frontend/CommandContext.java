package io.hawser.frontend;

import java.io.InputStream;
import java.io.PrintStream;

import org.osgi.annotation.versioning.ProviderType;

/** The caller's side of a command: its streams and its terminal. Frontends provide it. */
@ProviderType
public interface CommandContext {

    /** Standard output of the caller. */
    PrintStream out();

    /** Standard error of the caller. */
    PrintStream err();

    /** Standard input of the caller; empty unless the caller has one to give. */
    InputStream in();

    /**
     * Whether the caller's output is a terminal: commands then draw live progress; otherwise they
     * print a plain log that reads well in a file.
     */
    boolean terminal();

    /** Width of the caller's terminal in columns; 80 when it is not a terminal or not known. */
    int columns();
}
