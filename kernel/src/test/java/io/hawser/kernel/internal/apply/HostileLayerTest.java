package io.hawser.kernel.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.tar.TarFormat;
import io.hawser.kernel.internal.tar.TarWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layers that try to write outside the snapshot or exhaust the applier: each is refused with an
 * error naming the entry, and a canary file beside the snapshot directory is left as it was.
 */
class HostileLayerTest {

    private static final String CANARY_TEXT = "canary";
    private static final FileTime CANARY_TIME = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;
    private Path root;
    private Path canary;

    @BeforeEach
    void snapshotBesideACanary() throws IOException {
        LayerFixtures.assumeRoot();
        root = Files.createDirectory(dir.resolve("root"));
        canary = Files.writeString(dir.resolve("canary"), CANARY_TEXT);
        Files.setLastModifiedTime(canary, CANARY_TIME);
    }

    @AfterEach
    void canaryUntouched() throws IOException {
        if (canary == null) {
            return;
        }
        assertEquals(CANARY_TEXT, Files.readString(canary));
        assertEquals(CANARY_TIME, Files.getLastModifiedTime(canary));
        try (Stream<Path> beside = Files.list(dir)) {
            assertEquals(Set.of("root", "canary"), beside.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void dotDotIsRefused() throws IOException {
        refused(layer(t -> t.file("../canary", bytes("overwritten"))), "../canary");
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        refused(layer(t -> t.file(canary.toString(), bytes("overwritten"))), canary.toString());
    }

    @Test
    void absoluteSymlinkedParentIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("out", TarFormat.TYPE_SYMLINK, dir.toString(), 0);
            t.file("out/canary", bytes("overwritten"));
        }), "out/canary");
    }

    @Test
    void relativeSymlinkedParentClimbingOutIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("up", TarFormat.TYPE_SYMLINK, "../..", 0);
            t.file("up/canary", bytes("overwritten"));
        }), "up/canary");
    }

    @Test
    void parentSymlinkedToTheHostRootIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("link", TarFormat.TYPE_SYMLINK, "/", 0);
            t.file("link" + canary, bytes("overwritten"));
        }), "link/");
    }

    @Test
    void hardLinkOutsideIsRefused() throws IOException {
        refused(layer(t -> t.entry("stolen", TarFormat.TYPE_HARD_LINK, "../canary", 0)), "stolen");
        refused(layer(t -> t.entry("stolen", TarFormat.TYPE_HARD_LINK, canary.toString(), 0)), "stolen");
    }

    @Test
    void hardLinkThroughSymlinkedParentIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("out", TarFormat.TYPE_SYMLINK, dir.toString(), 0);
            t.entry("stolen", TarFormat.TYPE_HARD_LINK, "out/canary", 0);
        }), "stolen");
    }

    @Test
    void fileOverAPlantedSymlinkReplacesTheLink() throws IOException {
        // not an error: a later entry replaces an earlier one, and the link is never followed
        byte[] layer = layer(t -> {
            t.entry("trap", TarFormat.TYPE_SYMLINK, canary.toString(), 0);
            t.file("trap", bytes("inside"));
            t.entry("trapdir", TarFormat.TYPE_SYMLINK, dir.toString(), 0);
            t.directory("trapdir");
            t.file("trapdir/canary", bytes("inside"));
        });
        new LayerApplier(LayerApplier.Whiteouts.DELETE).apply(LayerFixtures.stream(layer), root, LayerFixtures.sha256(layer));
        assertEquals("inside", Files.readString(root.resolve("trap"), StandardCharsets.UTF_8));
        assertTrue(Files.isDirectory(root.resolve("trapdir"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("inside", Files.readString(root.resolve("trapdir/canary")));
    }

    @Test
    void whiteoutThroughSymlinkedParentIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("out", TarFormat.TYPE_SYMLINK, dir.toString(), 0);
            t.file("out/.wh.canary", new byte[0]);
        }), "out/.wh.canary");
    }

    @Test
    void symlinkLoopIsRefused() throws IOException {
        refused(layer(t -> {
            t.entry("loop1", TarFormat.TYPE_SYMLINK, "loop2", 0);
            t.entry("loop2", TarFormat.TYPE_SYMLINK, "loop1", 0);
            t.file("loop1/x", bytes("x"));
        }), "loop1/x");
    }

    @Test
    void tenThousandComponentsAreRefused() throws IOException {
        String deep = "a/".repeat(9_999) + "a";
        HawserException e = refused(layer(t -> t.file(deep, bytes("deep"))), "a/a/a/a/");
        assertTrue(e.getMessage().contains("10000 components"), e.getMessage());
    }

    @Test
    void gibibyteSizeWithoutDataIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TarWriter(out).entry("huge", TarFormat.TYPE_FILE, "", 1L << 30);
        out.write(new byte[4096]);
        refused(out.toByteArray(), "huge");
    }

    @Test
    void gnuSparseFilesAreRefused() throws IOException {
        refused(layer(t -> t.entry("sparse", TarFormat.TYPE_GNU_SPARSE, "", 0)), "sparse");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        // a PAX record's length counts the whole line, its own digits included
        byte[] paxRecord = bytes("34 GNU.sparse.realsize=1073741824\n");
        tar.entry("PaxHeaders/sparse.pax", TarFormat.TYPE_PAX, "", paxRecord.length);
        out.write(paxRecord);
        out.write(new byte[512 - paxRecord.length]);
        tar.entry("sparse.pax", TarFormat.TYPE_FILE, "", 0);
        tar.finish();
        refused(out.toByteArray(), "sparse.pax");
    }

    @Test
    void oversizedExtensionHeaderIsRefused() throws IOException {
        refused(layer(t -> t.entry("PaxHeaders/big", TarFormat.TYPE_PAX, "", 2L << 20)), "PaxHeaders/big");
    }

    @Test
    void unknownEntryTypesAreRefused() throws IOException {
        refused(layer(t -> t.entry("volume", (byte) 'V', "", 0)), "volume");
    }

    private HawserException refused(byte[] layer, String entry) {
        HawserException e = assertThrows(HawserException.class, () -> new LayerApplier(LayerApplier.Whiteouts.DELETE)
                .apply(LayerFixtures.stream(layer), root, LayerFixtures.sha256(layer)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(entry), "'" + e.getMessage() + "' names " + entry);
        return e;
    }

    private interface Entries {
        void write(TarWriter tar) throws IOException;
    }

    private static byte[] layer(Entries entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        entries.write(tar);
        tar.finish();
        return out.toByteArray();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
