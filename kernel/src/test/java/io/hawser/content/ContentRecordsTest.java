package io.hawser.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hawser.errors.ErrorCode;
import org.junit.jupiter.api.Test;

class ContentRecordsTest {

    private static final Digest DIGEST = Digest.sha256(new byte[0]);
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void ingestStatusKnowsWhetherTotalIsKnown() {
        assertFalse(new IngestStatus("ref", 0, ContentStore.UNKNOWN_SIZE, null, NOW, NOW).totalKnown());
        assertTrue(new IngestStatus("ref", 10, 20, DIGEST, NOW, NOW).totalKnown());
        assertThrows(IllegalArgumentException.class, () -> new IngestStatus("ref", -1, 20, null, NOW, NOW));
        assertThrows(IllegalArgumentException.class, () -> new IngestStatus("ref", 0, -2, null, NOW, NOW));
    }

    @Test
    void contentInfoRefusesNegativeSizeAndCopiesLabels() {
        assertThrows(IllegalArgumentException.class, () -> new ContentInfo(DIGEST, -1, Map.of(), NOW, NOW));
        var labels = new java.util.HashMap<String, String>();
        labels.put("a", "b");
        ContentInfo info = new ContentInfo(DIGEST, 0, labels, NOW, NOW);
        labels.put("c", "d");
        assertEquals(Map.of("a", "b"), info.labels());
    }

    @Test
    void blobExistsCarriesTheDigest() {
        var e = new BlobExistsException(DIGEST);
        assertEquals(ErrorCode.ALREADY_EXISTS, e.code());
        assertEquals(DIGEST, e.digest());
        assertEquals("content " + DIGEST + " already exists", e.getMessage());
        assertThrows(NullPointerException.class, () -> new BlobExistsException(null));
    }

    @Test
    void collectionReportCopiesItsListsAndRefusesNegativeBytes() {
        var removed = new ArrayList<>(List.of(DIGEST));
        var report = new CollectionReport(removed, 0, List.of("ref"), 1, Duration.ZERO);
        removed.clear();
        assertEquals(List.of(DIGEST), report.removedBlobs());
        assertThrows(IllegalArgumentException.class,
                () -> new CollectionReport(List.of(), -1, List.of(), 0, Duration.ZERO));
    }
}
