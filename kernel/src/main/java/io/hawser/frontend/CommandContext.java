package io.hawser.frontend;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

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

    /**
     * The caller's working directory. A relative path on the command line ({@code hawser import
     * image.tar}) names a file under it, as it would for a local program.
     */
    Path workingDirectory();

    /** A path the caller named, resolved against its working directory. */
    default Path resolve(String path) {
        return workingDirectory().resolve(path).normalize();
    }
}
