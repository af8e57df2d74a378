package io.hawser.runtime.runc;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.hawser.runtime.ExitStatus;
import io.hawser.shim.ExitFile;

/**
 * Waits for an exit file through the file system's change notifications (inotify on Linux), so an
 * exit is seen as soon as it is written and nothing wakes up in between.
 */
final class ExitFileWatch {

    private ExitFileWatch() {}

    /**
     * Waits until the exit file holds an exit code.
     *
     * @throws IOException when the timeout passes first, the directory goes away, or the file holds
     *                     no exit code
     */
    static ExitStatus await(Path exitFile, Duration timeout) throws IOException, InterruptedException {
        Path directory = exitFile.getParent();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            // watching before the first read, so a file written in between still wakes us
            WatchKey key = directory.register(watcher, ENTRY_CREATE, ENTRY_MODIFY);
            while (true) {
                Optional<ExitStatus> status = ExitFile.read(exitFile);
                if (status.isPresent()) {
                    return status.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException("no exit status in " + exitFile + " after " + timeout);
                }
                if (watcher.poll(left, TimeUnit.NANOSECONDS) != null) {
                    key.pollEvents();
                    if (!key.reset()) {
                        throw new IOException(directory + " went away while waiting for " + exitFile);
                    }
                }
            }
        }
    }
}
