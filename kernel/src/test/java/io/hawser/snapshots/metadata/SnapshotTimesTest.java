package io.hawser.snapshots.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotTimesTest {

    @Test
    void readsEveryFormInstantToStringWrites() {
        for (Instant instant : List.of(Instant.EPOCH, Instant.parse("2026-11-23T23:46:02Z"), Instant.parse("2026-11-23T23:46:02.100Z"),
                Instant.parse("2026-11-23T23:46:02.123456Z"), Instant.parse("2024-02-29T00:00:00.000000001Z"),
                Instant.parse("1999-12-31T23:59:59.999999999Z"), Instant.ofEpochSecond(4_102_444_799L, 5_000))) {
            assertEquals(instant, SnapshotMetadata.Transaction.instant(instant.toString()), instant.toString());
        }
    }

    @Test
    void readsFractionsOfAnyLength() {
        assertEquals(Instant.parse("2026-01-02T03:04:05.5Z"), SnapshotMetadata.Transaction.instant("2026-01-02T03:04:05.5Z"));
        assertEquals(Instant.parse("2026-01-02T03:04:05.12345678Z"), SnapshotMetadata.Transaction.instant("2026-01-02T03:04:05.12345678Z"));
    }

    @Test
    void leavesOtherFormsAndNonsenseToTheJdksParser() {
        for (String text : List.of("+12026-01-02T03:04:05Z", "2026-01-02T24:00:00Z", "2026-06-30T23:59:60Z")) {
            assertEquals(Instant.parse(text), SnapshotMetadata.Transaction.instant(text), text);
        }
        assertThrows(DateTimeParseException.class, () -> SnapshotMetadata.Transaction.instant("2026-02-30T00:00:00Z"));
        assertThrows(DateTimeException.class, () -> SnapshotMetadata.Transaction.instant("2026-01-02T03:04:0xZ"));
        assertThrows(DateTimeParseException.class, () -> SnapshotMetadata.Transaction.instant("2026-01-02T03:04:05."));
    }
}
