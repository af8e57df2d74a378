package io.hawser.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live connection to a process's standard streams, held by its shim: output as the process
 * writes it and, when the process has an input stream, input. Output written before the connection
 * was made is not replayed; it is in the log. Several attachments to one process may exist at once;
 * each receives all output. Closing detaches without affecting the process, except that a process
 * created with {@code stdinOnce} then sees the end of its input.
 */
@ProviderType
public interface Attachment extends Closeable {

    /** The output stream a chunk came from; with a terminal everything is {@link #STDOUT}. */
    enum Stream { STDOUT, STDERR }

    /** A piece of output, as the shim read it from the process. */
    record Chunk(Stream stream, byte[] data) {
        public Chunk {
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Blocks for the next piece of output.
     *
     * @return the chunk, or {@code null} once the process's output has ended (it exited) or the
     *         attachment was closed
     */
    Chunk read() throws IOException;

    /**
     * Sends input to the process.
     *
     * @throws io.hawser.errors.HawserException {@code FAILED_PRECONDITION} when the process has no
     *                                          input stream
     */
    void write(byte[] data, int offset, int length) throws IOException;

    /** Ends the process's input: after what was written, it reads end of file. */
    void closeStdin() throws IOException;
}
