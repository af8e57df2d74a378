package io.hawser.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SnapshotRecordsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void mountKeepsOptionOrderAndCopies() {
        List<String> options = new ArrayList<>(List.of("lowerdir=/a:/b", "upperdir=/u", "workdir=/w"));
        Mount m = new Mount("overlay", "overlay", options);
        options.clear();
        assertEquals(List.of("lowerdir=/a:/b", "upperdir=/u", "workdir=/w"), m.options());
        assertEquals("", m.target());
        assertFalse(m.readOnly());
        assertFalse(m.bind());
    }

    @Test
    void mountTellsReadOnlyBind() {
        Mount m = new Mount("bind", "/var/lib/hawser/snap/1/fs", List.of("rbind", "ro"));
        assertTrue(m.readOnly());
        assertTrue(m.bind());
    }

    @Test
    void mountTargetStaysInsideRoot() {
        assertThrows(IllegalArgumentException.class, () -> new Mount("bind", "/x", "/etc", List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Mount("bind", "/x", "a/../../etc", List.of()));
        assertEquals("var/lib", new Mount("tmpfs", "tmpfs", "var/lib", List.of()).target());
        assertThrows(IllegalArgumentException.class, () -> new Mount(" ", "/x", List.of()));
    }

    @Test
    void mountWorkingDirectoryIsAbsoluteOrEmpty() {
        assertEquals("", new Mount("overlay", "overlay", List.of("lowerdir=1/fs")).workingDirectory());
        assertEquals("/s", new Mount("overlay", "overlay", "", List.of("lowerdir=1/fs"), "/s").workingDirectory());
        assertThrows(IllegalArgumentException.class, () -> new Mount("overlay", "overlay", "", List.of(), "s"));
    }

    @Test
    void snapshotInfoNormalizesParent() {
        SnapshotInfo info = new SnapshotInfo(Kind.ACTIVE, "k", null, Map.of(), NOW, NOW);
        assertEquals("", info.parent());
        assertFalse(info.hasParent());
        assertTrue(new SnapshotInfo(Kind.COMMITTED, "n", "p", Map.of(), NOW, NOW).hasParent());
        assertThrows(IllegalArgumentException.class, () -> new SnapshotInfo(Kind.VIEW, "", "", Map.of(), NOW, NOW));
    }

    @Test
    void usageAddsUp() {
        assertEquals(new Usage(30, 3), new Usage(10, 1).plus(new Usage(20, 2)));
        assertEquals(Usage.ZERO, Usage.ZERO.plus(Usage.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 0));
        assertThrows(ArithmeticException.class, () -> new Usage(Long.MAX_VALUE, 0).plus(new Usage(1, 0)));
    }
}
