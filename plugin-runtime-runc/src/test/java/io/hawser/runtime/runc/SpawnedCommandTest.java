package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnedCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    @Test
    void returnsStdoutAndTheChildHasTheJvmsEnvironmentAndDirectory() throws Exception {
        String output = run("echo out; echo err >&2; echo \"$PWD $PATH\"; read line; echo \"stdin: $line.\"");

        assertEquals("out\n" + Path.of("").toAbsolutePath() + " " + System.getenv("PATH") + "\nstdin: .\n", output);
    }

    @Test
    void aFailureGivesTheStatusAndStderr() {
        IOException error = assertThrows(IOException.class, () -> run("echo out; echo '  no such container  ' >&2; exit 3"));

        assertEquals("`/bin/sh -c echo out; echo '  no such container  ' >&2; exit 3` exited with status 3: no such container",
                error.getMessage());
    }

    @Test
    void aProgramWritingMuchToBothPipesDoesNotBlock() throws Exception {
        // 2 MiB to each, more than either pipe holds, stderr first so that stdout waits on a full stderr if undrained
        String output = run("head -c 2097152 /dev/zero | tr '\\0' e >&2; head -c 2097152 /dev/zero | tr '\\0' o; exit 0");

        assertEquals(2 * 1024 * 1024, output.length());
        assertTrue(output.chars().allMatch(c -> c == 'o'));
    }

    @Test
    void aCommandPastTheTimeoutIsKilledAndReaped() throws Exception {
        long started = System.nanoTime();
        IOException error = assertThrows(IOException.class,
                () -> SpawnedCommand.run(Duration.ofMillis(300), List.of("/bin/sleep", "30")));

        assertEquals("`/bin/sleep 30` did not finish within 0 s and was killed", error.getMessage());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5), "waited for the command");
        assertEquals(List.of(), childrenOfTheJvm());
    }

    @Test
    void aCommandThatClosesItsOutputButRunsOnIsKilledAtTheTimeout() throws Exception {
        IOException error = assertThrows(IOException.class, () -> SpawnedCommand.run(Duration.ofMillis(300),
                List.of("/bin/sh", "-c", "exec >&- 2>&-; sleep 30")));

        assertTrue(error.getMessage().endsWith("did not finish within 0 s and was killed"), error.getMessage());
        assertEquals(List.of(), childrenOfTheJvm());
    }

    @Test
    void anInterruptKillsTheCommand() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                SpawnedCommand.run(TIMEOUT, List.of("/bin/sleep", "30"));
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        Thread.sleep(200);
        caller.interrupt();

        Throwable error = failure.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(error instanceof InterruptedIOException, String.valueOf(error));
        assertEquals("interrupted while waiting for `/bin/sleep 30`", error.getMessage());
        assertEquals(List.of(), childrenOfTheJvm());
    }

    @Test
    void aMissingProgramIsNamed() {
        Path missing = temp.resolve("no-such-program");

        IOException error = assertThrows(IOException.class, () -> SpawnedCommand.run(TIMEOUT, List.of(missing.toString(), "start")));

        assertEquals("cannot start `" + missing + " start`: No such file or directory", error.getMessage());
    }

    @Test
    void theChildHasOnlyStdinStdoutAndStderrOpen() throws Exception {
        // the shell's own descriptors, not ls's, which include the directory it reads: the exit keeps the shell from exec'ing ls
        String listed = run("ls /proc/$$/fd; exit");

        assertEquals(List.of("0", "1", "2"), listed.lines().sorted().toList());
        // read by the shell itself: around a fork for cat, dash blocks every signal for a moment
        String status = run("while read -r line; do echo \"$line\"; done < /proc/self/status; exit");
        assertTrue(status.contains("SigBlk:\t0000000000000000"), status);
    }

    private static String run(String script) throws IOException {
        return SpawnedCommand.run(TIMEOUT, List.of("/bin/sh", "-c", script));
    }

    /** The JVM's children, zombies included, as "PID STATE". */
    private static List<String> childrenOfTheJvm() throws IOException {
        String jvm = Long.toString(ProcessHandle.current().pid());
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(process -> process.getFileName().toString().matches("[0-9]+"))
                    .map(process -> stat(process.resolve("stat")))
                    .filter(stat -> stat.length > 3 && stat[3].equals(jvm))
                    .map(stat -> stat[0] + " " + stat[2])
                    .toList();
        }
    }

    /** The fields of /proc/PID/stat, the command's (which may hold spaces) as one; empty once the process is gone. */
    private static String[] stat(Path file) {
        try {
            String stat = Files.readString(file, StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            String[] rest = stat.substring(end + 2).split(" ");
            return new String[] {stat.substring(0, stat.indexOf(' ')), stat.substring(stat.indexOf('(') + 1, end), rest[0], rest[1]};
        } catch (NoSuchFileException e) {
            return new String[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
