package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.hawser.runtime.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnedChildTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/bin:/bin", "SPAWNED", "yes");

    @TempDir
    Path temp;

    /**
     * What conmon does without {@code --sync}: the child exits at once, and a process it left
     * behind writes the line later. The child is reaped and the line still arrives.
     */
    @Test
    void theLineMayComeFromADescendantAfterTheChildExited() throws Exception {
        try (SpawnedChild child = spawn("(sleep 0.2; echo \"reported from $PWD with $SPAWNED\" >&3) & exit 0")) {
            assertEquals(0, child.awaitExit(TIMEOUT));
            assertFalse(Files.exists(Path.of("/proc", Long.toString(child.pid()))), "the child is left a zombie");
            assertEquals("reported from " + temp + " with yes", child.firstLine().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void endOfFileWithoutALineLeavesTheExitStatusAndOutput() throws Exception {
        try (SpawnedChild child = spawn("echo usage; echo 'no such flag' >&2; exit 3")) {
            assertNull(child.firstLine().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(3, child.awaitExit(TIMEOUT));
            assertEquals("usage\nno such flag\n", Files.readString(temp.resolve("output")));
        }
    }

    @Test
    void theChildHasTheDescriptorsItIsGivenAndNoOthers() throws Exception {
        Path shared = Files.writeString(temp.resolve("shared"), "");
        try (SpawnedChild child = SpawnedChild.spawn(List.of("/bin/sleep", "30"), ENVIRONMENT, temp,
                temp.resolve("output"), List.of(shared), TIMEOUT)) {
            Path fds = Path.of("/proc", Long.toString(child.pid()), "fd");
            try (Stream<Path> open = Files.list(fds)) {
                assertEquals(Set.of("0", "1", "2", "3", "4"),
                        open.map(fd -> fd.getFileName().toString()).collect(Collectors.toSet()));
            }
            assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(fds.resolve("0")));
            assertEquals(temp.resolve("output"), Files.readSymbolicLink(fds.resolve("1")));
            assertEquals(temp.resolve("output"), Files.readSymbolicLink(fds.resolve("2")));
            assertTrue(Files.readSymbolicLink(fds.resolve("3")).toString().startsWith("pipe:"));
            assertEquals(shared, Files.readSymbolicLink(fds.resolve("4")));
            String status = Files.readString(fds.resolveSibling("status"));
            assertTrue(status.contains("SigBlk:\t0000000000000000"), status);
        }
    }

    @Test
    void aChildThatOutlivesTheTimeoutIsKilledAndReapedOnClose() throws Exception {
        SpawnedChild child = SpawnedChild.spawn(List.of("/bin/sleep", "30"), ENVIRONMENT, temp,
                temp.resolve("output"), List.of(), Duration.ofMillis(100));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> child.firstLine().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(TimeoutException.class, failure.getCause());
        assertThrows(IOException.class, () -> child.awaitExit(Duration.ofMillis(50)));

        child.close();

        assertFalse(Files.exists(Path.of("/proc", Long.toString(child.pid()))), "the child is left running or a zombie");
        assertEquals(128 + Signals.SIGKILL, child.awaitExit(TIMEOUT));
    }

    @Test
    void aProgramThatCannotStartIsNamed() {
        Path missing = temp.resolve("no-such-program");
        IOException error = assertThrows(IOException.class, () -> SpawnedChild.spawn(List.of(missing.toString()),
                ENVIRONMENT, temp, temp.resolve("output"), List.of(), TIMEOUT));
        assertTrue(error.getMessage().contains(missing + " ") && error.getMessage().contains("No such file or directory"),
                error.getMessage());
    }

    private SpawnedChild spawn(String script) throws IOException {
        return SpawnedChild.spawn(List.of("/bin/sh", "-c", script), ENVIRONMENT, temp, temp.resolve("output"),
                List.of(), TIMEOUT);
    }
}
