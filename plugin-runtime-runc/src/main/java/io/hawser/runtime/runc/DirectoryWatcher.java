package io.hawser.runtime.runc;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Waits for conditions on files that shims write (exit files, OOM markers) through one inotify
 * instance for the whole runtime: one watch per directory and one thread for all, rather than a
 * watch service (and its poller thread) per task.
 */
final class DirectoryWatcher implements Closeable {

    /** A condition on a directory's files: a value once it holds, empty while it does not. */
    @FunctionalInterface
    interface Check<T> {
        Optional<T> test() throws IOException;
    }

    private final WatchService service;
    private final Map<WatchKey, List<Probe<?>>> probes = new ConcurrentHashMap<>();

    DirectoryWatcher() throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        Thread.ofVirtual().name("hawser-runc-watcher").start(this::dispatch);
    }

    /**
     * Completes with the check's value once it holds: tested now and after every change in the
     * directory. Completes exceptionally when the directory goes away first; the caller may
     * cancel the future to stop waiting.
     */
    <T> CompletableFuture<T> await(Path directory, Check<T> check) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Probe<T> probe = new Probe<>(directory, check, result);
        WatchKey key;
        try {
            key = directory.register(service, ENTRY_CREATE, ENTRY_MODIFY);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return result;
        }
        probes.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(probe);
        result.whenComplete((value, failure) -> {
            List<Probe<?>> list = probes.get(key);
            if (list != null) {
                list.remove(probe);
            }
        });
        // tested after the watch is in place, so a change in between is not missed
        probe.run();
        return result;
    }

    private void dispatch() {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                probes.getOrDefault(key, List.of()).forEach(Probe::run);
                if (!key.reset()) {
                    List<Probe<?>> orphans = probes.remove(key);
                    if (orphans != null) {
                        orphans.forEach(Probe::gone);
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException closed) {
            // the runtime is closing
        }
    }

    private record Probe<T>(Path directory, Check<T> check, CompletableFuture<T> result) {
        void run() {
            if (result.isDone()) {
                return;
            }
            try {
                check.test().ifPresent(result::complete);
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        }

        /** One last look, then nothing more can change there. */
        void gone() {
            run();
            result.completeExceptionally(new IOException(directory + " was removed while waiting on it"));
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
