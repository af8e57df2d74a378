package io.hawser.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.IOConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitFileTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void parsesDecimalCode() {
        ExitStatus status = ExitFile.parse("137\n", NOW, true);
        assertEquals(137, status.code());
        assertEquals(NOW, status.exitedAt());
        assertTrue(status.oomKilled());
        assertEquals(0, status.signal());
    }

    @Test
    void outOfRangeCodeIsUnknown() {
        assertEquals(ExitStatus.UNKNOWN_CODE, ExitFile.parse("-1", NOW, false).code());
        assertEquals(ExitStatus.UNKNOWN_CODE, ExitFile.parse("99999999999", NOW, false).code());
    }

    @Test
    void refusesGarbage() {
        var e = assertThrows(IllegalArgumentException.class, () -> ExitFile.parse("exited", NOW, false));
        assertTrue(e.getMessage().contains("'exited'"), e.getMessage());
    }

    @Test
    void readsFileWithTimeAndOomMarker(@TempDir Path dir) throws IOException {
        Path exit = dir.resolve("c1");
        assertTrue(ExitFile.read(exit).isEmpty());
        Files.writeString(exit, "");
        assertTrue(ExitFile.read(exit).isEmpty(), "an empty file is still being written");
        Files.writeString(exit, "2");
        Files.setLastModifiedTime(exit, FileTime.from(NOW));
        ExitStatus status = ExitFile.read(exit).orElseThrow();
        assertEquals(2, status.code());
        assertEquals(NOW, status.exitedAt());
        assertFalse(status.oomKilled());
        Files.createFile(dir.resolve(ExitFile.OOM_MARKER));
        assertTrue(ExitFile.read(exit).orElseThrow().oomKilled());
        Files.writeString(exit, "bad");
        assertThrows(IOException.class, () -> ExitFile.read(exit));
    }

    @Test
    void shimSpecTiesExecIdToProcessSpec() {
        var io = new IOConfig.Discard();
        Path bundle = Path.of("/run/hawser/c1");
        Path state = Path.of("/run/hawser/shims/c1");
        Path runc = Path.of("/usr/bin/runc");
        assertFalse(new ShimSpec("c1", null, bundle, state, runc, null, io, null, null).exec());
        assertTrue(new ShimSpec("c1", "e1", bundle, state, runc, null, io, Path.of("/run/p.json"), Map.of()).exec());
        assertThrows(IllegalArgumentException.class, () -> new ShimSpec("c1", "e1", bundle, state, runc, null, io, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new ShimSpec("c1", "", bundle, state, runc, null, io, Path.of("/run/p.json"), null));
        assertThrows(IllegalArgumentException.class,
                () -> new ShimSpec("c1", "../x", bundle, state, runc, null, io, Path.of("/run/p.json"), null));
    }

    @Test
    void shimStateValidates() {
        Path state = Path.of("/run/hawser/shims/c1");
        assertThrows(IllegalArgumentException.class,
                () -> new ShimState("c1", "", 0, 0, state, state.resolve("exit"), null, null));
        assertEquals("", new ShimState("c1", null, 10, 0, state, state.resolve("exit"), null, null).execId());
    }
}
