package io.hawser.commands.internal.containers;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.CompletionStage;

import io.hawser.runtime.CriLog;

/**
 * A CRI log file read as it grows. Following it waits on the file system's change notifications
 * (the JDK's watch service, inotify on Linux), not on a timer, and ends when the writer's process
 * ends; a file renamed away and created again (a rotation) is followed into the new file.
 */
final class LogFile implements Closeable {

    /** Receives the entries of the file in order. */
    @FunctionalInterface
    interface Sink {
        void accept(CriLog.Entry entry) throws IOException;
    }

    private final Path path;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    /** The bytes of a line whose newline has not been written yet. */
    private final ByteArrayOutputStream unfinished = new ByteArrayOutputStream();
    /** {@code null} until the file exists. */
    private FileChannel channel;

    LogFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** Passes every entry the file holds now to the sink; a line still being written waits for the next call. */
    void read(Sink sink) throws IOException {
        if (channel == null) {
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return;
            }
        }
        while (channel.read(buffer.clear()) > 0) {
            byte[] bytes = buffer.array();
            int start = 0;
            for (int i = 0; i < buffer.position(); i++) {
                if (bytes[i] == '\n') {
                    unfinished.write(bytes, start, i - start);
                    start = i + 1;
                    byte[] line = unfinished.toByteArray();
                    unfinished.reset();
                    var entry = CriLog.parse(line, line.length);
                    if (entry.isPresent()) {
                        sink.accept(entry.get());
                    }
                }
            }
            unfinished.write(bytes, start, buffer.position() - start);
        }
    }

    /**
     * Passes entries to the sink as they are written until {@code end} completes (the process that
     * writes the file ended), then the rest of the file.
     */
    void follow(CompletionStage<?> end, Sink sink) throws IOException, InterruptedException {
        Path directory = path.getParent();
        try (WatchService watcher = directory.getFileSystem().newWatchService()) {
            directory.register(watcher, ENTRY_CREATE, ENTRY_MODIFY);
            end.whenComplete((result, failure) -> closeQuietly(watcher));
            while (true) {
                read(sink);
                WatchKey key;
                try {
                    key = watcher.take();
                } catch (ClosedWatchServiceException e) {
                    break;
                }
                boolean recreated = key.pollEvents().stream()
                        .anyMatch(event -> event.kind() == ENTRY_CREATE && path.getFileName().equals(event.context()));
                if (recreated && channel != null) {
                    read(sink);
                    channel.close();
                    channel = null;
                    unfinished.reset();
                }
                key.reset();
            }
        }
        read(sink);
    }

    private static void closeQuietly(WatchService watcher) {
        try {
            watcher.close();
        } catch (IOException e) {
            // closing only wakes the follower; it ends either way
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
