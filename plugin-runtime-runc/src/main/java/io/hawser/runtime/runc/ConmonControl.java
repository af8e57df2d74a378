package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;

/**
 * conmon's control fifo, {@code ctl} in the directory conmon was given as {@code --bundle}: one
 * line per request, {@code TYPE HEIGHT WIDTH}, type 1 resizing the terminal to HEIGHT rows and
 * WIDTH columns (each 0..1000) and type 2 reopening the log file. The fifo is opened without
 * blocking: conmon holds its reading end while it lives, so a missing reader means conmon is gone.
 */
final class ConmonControl {

    private static final int RESIZE = 1;
    private static final int REOPEN_LOG = 2;
    private static final int MAX_SIZE = 1000;

    private ConmonControl() {}

    static void resize(Path directory, int columns, int rows) throws IOException {
        if (columns < 0 || rows < 0 || columns > MAX_SIZE || rows > MAX_SIZE) {
            throw new IllegalArgumentException("terminal size " + columns + "x" + rows + " is outside 0..1000");
        }
        send(directory, RESIZE + " " + rows + " " + columns + "\n");
    }

    static void reopenLog(Path directory) throws IOException {
        send(directory, REOPEN_LOG + " 0 0\n");
    }

    private static void send(Path directory, String line) throws IOException {
        Path fifo = directory.resolve("ctl");
        LibC c = LibC.INSTANCE;
        int fd;
        try {
            fd = c.open(fifo.toString(), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException(e.getErrorCode() == LibC.ENXIO
                    ? "conmon no longer reads its control fifo " + fifo
                    : "cannot open conmon's control fifo " + fifo + ": " + c.strerror(e.getErrorCode()), e);
        }
        try {
            byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
            // a write this short to a fifo is atomic: all of it or nothing
            c.write(fd, bytes, bytes.length);
        } catch (LastErrorException e) {
            throw new IOException("writing to conmon's control fifo " + fifo + " failed: " + c.strerror(e.getErrorCode()), e);
        } finally {
            c.close(fd);
        }
    }
}
