package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void returnsWhatTheCommandPrinted() throws IOException {
        assertEquals("out\n", HostCommand.run(TIMEOUT, List.of("sh", "-c", "echo out; echo noise >&2")));
    }

    @Test
    void aFailureNamesTheCommandItsStatusAndItsStderr() {
        IOException failure = assertThrows(IOException.class,
                () -> HostCommand.run(TIMEOUT, List.of("sh", "-c", "echo 'ERROR: no such subvolume' >&2; exit 3")));

        assertEquals("`sh -c echo 'ERROR: no such subvolume' >&2; exit 3` exited with status 3: ERROR: no such subvolume",
                failure.getMessage());
    }

    @Test
    void aCommandRunningTooLongIsKilled() {
        long start = System.nanoTime();

        IOException failure = assertThrows(IOException.class, () -> HostCommand.run(Duration.ofMillis(200), List.of("sleep", "30")));

        assertTrue(failure.getMessage().contains("`sleep 30` did not finish within"), failure.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "killed, not waited for");
    }

    @Test
    void aMissingProgramIsNamed() {
        IOException failure = assertThrows(IOException.class, () -> HostCommand.run(TIMEOUT, List.of("/nonexistent/btrfs", "x")));

        assertTrue(failure.getMessage().startsWith("cannot start `/nonexistent/btrfs x`"), failure.getMessage());
    }
}
