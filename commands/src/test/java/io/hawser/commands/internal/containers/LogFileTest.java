package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.hawser.runtime.CriLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class LogFileTest {

    @TempDir
    Path dir;

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String content(CriLog.Entry entry) {
        return new String(entry.content(), StandardCharsets.UTF_8);
    }

    @Test
    void readTakesCompleteLinesAndKeepsAHalfWrittenOneForLater() throws IOException {
        Path file = dir.resolve("c.log");
        append(file, "t1 stdout F one\nt2 stderr F two\nt3 stdout F thr");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LogFile log = new LogFile(file)) {
            log.read(entry -> seen.add(content(entry)));
            assertEquals(List.of("one", "two"), seen);

            append(file, "ee\n");
            log.read(entry -> seen.add(content(entry)));
        }

        assertEquals(List.of("one", "two", "three"), seen);
    }

    @Test
    void aFileThatDoesNotExistYetHasNoEntries() throws IOException {
        try (LogFile log = new LogFile(dir.resolve("later.log"))) {
            log.read(entry -> {
                throw new AssertionError("no entries expected");
            });
        }
    }

    @Test
    void followSeesWhatIsWrittenUntilTheWriterExitsThenTheRest() throws Exception {
        Path file = dir.resolve("c.log");
        append(file, "t1 stdout F before\n");
        CompletableFuture<Void> exited = new CompletableFuture<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> sawLive = new CompletableFuture<>();

        Thread follower = Thread.ofVirtual().start(() -> {
            try (LogFile log = new LogFile(file)) {
                log.follow(exited, entry -> {
                    seen.add(content(entry));
                    if (content(entry).equals("live")) {
                        sawLive.complete(null);
                    }
                });
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        append(file, "t2 stdout F live\n");
        sawLive.get(10, TimeUnit.SECONDS);
        append(file, "t3 stdout F last\n");
        exited.complete(null);
        follower.join();

        assertEquals(List.of("before", "live", "last"), seen);
    }

    @Test
    void followWaitsForTheFileToAppearAndFollowsARotation() throws Exception {
        Path file = dir.resolve("c.log");
        CompletableFuture<Void> exited = new CompletableFuture<>();
        List<String> seen = new CopyOnWriteArrayList<>();

        Thread follower = Thread.ofVirtual().start(() -> {
            try (LogFile log = new LogFile(file)) {
                log.follow(exited, entry -> seen.add(content(entry)));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        append(file, "t1 stdout F first\n");
        waitFor(seen, 1);
        Files.move(file, dir.resolve("c.log.1"));
        append(file, "t2 stdout F after rotation\n");
        waitFor(seen, 2);
        exited.complete(null);
        follower.join();

        assertEquals(List.of("first", "after rotation"), seen);
    }

    @Test
    void followReturnsAtOnceWhenTheWriterHasAlreadyExited() throws Exception {
        Path file = dir.resolve("c.log");
        append(file, "t1 stdout F all\n");
        List<String> seen = new CopyOnWriteArrayList<>();

        try (LogFile log = new LogFile(file)) {
            log.follow(CompletableFuture.completedFuture(null), entry -> seen.add(content(entry)));
        }

        assertEquals(List.of("all"), seen);
    }

    /** Waits for the follower, which wakes on inotify; the test's own timeout bounds it. */
    private static void waitFor(List<String> seen, int count) throws InterruptedException {
        while (seen.size() < count) {
            Thread.sleep(10);
        }
    }
}
