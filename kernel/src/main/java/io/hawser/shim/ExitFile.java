package io.hawser.shim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import io.hawser.runtime.ExitStatus;

/**
 * The file in which a shim records how its process ended, so the status outlives both the process
 * and the daemon. It holds the exit code in decimal, as conmon writes it (128 plus the signal
 * number for a process killed by a signal), optionally followed by a newline; the time the process
 * ended is the file's modification time. A file named {@value #OOM_MARKER} beside it says the
 * out-of-memory killer ended the process.
 *
 * <p>A VM runtime follows the same format: the agent inside the guest writes the file into a
 * directory the host shares with it over virtio-9p, since the VM process cannot know the container's
 * status itself.
 */
public final class ExitFile {

    /** Name of the marker file a shim creates beside the exit file when the process was OOM-killed. */
    public static final String OOM_MARKER = "oom";

    private ExitFile() {}

    /**
     * Reads an exit file.
     *
     * @param exitFile the exit file
     * @return the exit status, or empty when the process has not ended yet: the file is missing,
     *         or empty because the shim is still writing it
     * @throws IOException when the file cannot be read or holds no exit code
     */
    public static Optional<ExitStatus> read(Path exitFile) throws IOException {
        String content;
        Instant modified;
        try {
            content = Files.readString(exitFile, StandardCharsets.US_ASCII);
            modified = Files.getLastModifiedTime(exitFile).toInstant();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (content.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(content, modified, Files.exists(exitFile.resolveSibling(OOM_MARKER))));
        } catch (IllegalArgumentException e) {
            throw new IOException("exit file " + exitFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the content of an exit file. A code outside 0..255 (some shims write -1 when the
     * runtime failed before the process existed) becomes {@link ExitStatus#UNKNOWN_CODE}.
     *
     * @throws IllegalArgumentException when the content is not a decimal integer
     */
    public static ExitStatus parse(String content, Instant exitedAt, boolean oomKilled) {
        String text = content.strip();
        long code;
        try {
            code = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a decimal exit code, found '" + text + "'", e);
        }
        int checked = code < 0 || code > 255 ? ExitStatus.UNKNOWN_CODE : (int) code;
        // the file cannot tell a signal death from a process exiting with 128+n, so the signal stays unknown
        return new ExitStatus(checked, exitedAt, 0, oomKilled);
    }
}
