package io.hawser.commands.internal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.hawser.content.Digest;
import io.hawser.images.BlobProgress;
import io.hawser.images.BlobProgress.State;
import io.hawser.images.Descriptor;
import io.hawser.images.MediaTypes;
import org.junit.jupiter.api.Test;

class PullProgressPrinterTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final Descriptor layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, Digest.sha256("layer".getBytes()), 4 << 20);
    private final Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256("config".getBytes()), 512);

    @Test
    void withoutATerminalEachBlobGetsALineWhenItStartsAndWhenItEnds() {
        PullProgressPrinter printer = new PullProgressPrinter(out, false, 80);
        printer.update(new BlobProgress(layer, State.WAITING, 0));
        printer.update(new BlobProgress(layer, State.DOWNLOADING, 0));
        printer.update(new BlobProgress(layer, State.DOWNLOADING, 1 << 20));
        printer.update(new BlobProgress(layer, State.DOWNLOADED, 4 << 20));
        printer.update(new BlobProgress(config, State.ALREADY_PRESENT, 512));

        assertEquals(List.of(
                "layer " + layer.digest() + " downloading 4.0 MiB",
                "layer " + layer.digest() + " done (4.0 MiB)",
                "config " + config.digest() + " already present (512 B)"), lines());
    }

    @Test
    void aResumedDownloadSaysWhereItResumes() {
        PullProgressPrinter printer = new PullProgressPrinter(out, false, 80);
        printer.update(new BlobProgress(layer, State.DOWNLOADING, 3 << 20));

        assertEquals(List.of("layer " + layer.digest() + " resuming at 3.0 MiB of 4.0 MiB"), lines());
    }

    @Test
    void onATerminalTheTableIsRedrawnInPlaceWithBytesAndRate() {
        PullProgressPrinter printer = new PullProgressPrinter(out, true, 120);
        printer.update(new BlobProgress(layer, State.DOWNLOADING, 0));
        printer.update(new BlobProgress(config, State.DOWNLOADING, 0));
        printer.finish();

        String screen = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("\033[1F"), "the second drawing moves the cursor back over the first");
        assertTrue(screen.contains("layer-" + layer.digest().hex().substring(0, 12)), screen);
        assertTrue(screen.contains("0 B / 4.0 MiB"), screen);
        assertTrue(screen.contains("B/s"), screen);
        assertTrue(screen.contains("elapsed: "), screen);
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
