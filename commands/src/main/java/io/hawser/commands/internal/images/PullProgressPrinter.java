package io.hawser.commands.internal.images;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hawser.content.Digest;
import io.hawser.images.BlobProgress;
import io.hawser.images.MediaTypes;
import io.hawser.images.PullProgress;

/**
 * Shows a pull as it goes. On a terminal, a table of blobs redrawn in place at most ten times a
 * second (state, bytes, a bar); otherwise one plain line per blob when it starts and when it ends,
 * which reads well in a log file.
 */
public final class PullProgressPrinter implements PullProgress {

    private static final Duration REDRAW_EVERY = Duration.ofMillis(100);

    private final PrintStream out;
    private final boolean terminal;
    private final int columns;
    private final Instant started = Instant.now();
    /** Guarded by this: download threads report concurrently. */
    private final Map<Digest, BlobProgress> blobs = new LinkedHashMap<>();
    /** When each blob began downloading, and from which offset: its rate counts only what this pull fetched. */
    private final Map<Digest, BlobProgress> firstDownload = new LinkedHashMap<>();
    private final Map<Digest, Instant> downloadStarted = new LinkedHashMap<>();
    private int linesDrawn;
    private Instant lastDraw = Instant.EPOCH;

    public PullProgressPrinter(PrintStream out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = columns;
    }

    @Override
    public synchronized void update(BlobProgress progress) {
        BlobProgress previous = blobs.put(progress.blob().digest(), progress);
        if (progress.state() == BlobProgress.State.DOWNLOADING && !downloadStarted.containsKey(progress.blob().digest())) {
            downloadStarted.put(progress.blob().digest(), Instant.now());
            firstDownload.put(progress.blob().digest(), progress);
        }
        if (terminal) {
            boolean stateChanged = previous == null || previous.state() != progress.state();
            if (stateChanged || Duration.between(lastDraw, Instant.now()).compareTo(REDRAW_EVERY) >= 0) {
                draw();
            }
        } else if (previous == null || previous.state() != progress.state()) {
            switch (progress.state()) {
                case DOWNLOADING -> out.println(kind(progress) + " " + progress.blob().digest() + " "
                        + (progress.offset() > 0 ? "resuming at " + Sizes.bytes(progress.offset()) + " of " : "downloading ")
                        + Sizes.bytes(progress.total()));
                case DOWNLOADED, ALREADY_PRESENT, UNPACKED, FAILED -> out.println(kind(progress) + " " + progress.blob().digest()
                        + " " + label(progress.state()) + " (" + Sizes.bytes(progress.total()) + ")");
                default -> { }
            }
        }
    }

    /** The final picture, and the elapsed time and amount. */
    public synchronized void finish() {
        if (terminal) {
            draw();
        }
        long total = blobs.values().stream().mapToLong(BlobProgress::total).sum();
        Duration elapsed = Duration.between(started, Instant.now());
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        out.printf("elapsed: %.1fs  total: %s  (%s/s)%n", seconds, Sizes.bytes(total), Sizes.bytes((long) (total / seconds)));
    }

    private void draw() {
        lastDraw = Instant.now();
        StringBuilder screen = new StringBuilder();
        if (linesDrawn > 0) {
            screen.append("\033[").append(linesDrawn).append('F');
        }
        int bar = Math.max(10, Math.min(40, columns - 70));
        for (BlobProgress blob : blobs.values()) {
            String name = kind(blob) + "-" + blob.blob().digest().hex().substring(0, 12);
            long done = blob.state() == BlobProgress.State.DOWNLOADING ? blob.offset() : blob.total();
            int filled = blob.total() == 0 ? bar : (int) Math.min(bar, bar * done / blob.total());
            screen.append(String.format("%-22s %-16s |%s%s| %10s / %-10s %s", name, label(blob.state()),
                    "+".repeat(filled), " ".repeat(bar - filled), Sizes.bytes(done), Sizes.bytes(blob.total()), rate(blob)));
            screen.append("\033[K\n");
        }
        linesDrawn = blobs.size();
        out.print(screen);
        out.flush();
    }

    /** {@code 12.5 MiB/s} while a blob downloads, from what this pull fetched of it; empty otherwise. */
    private String rate(BlobProgress blob) {
        Instant start = downloadStarted.get(blob.blob().digest());
        if (blob.state() != BlobProgress.State.DOWNLOADING || start == null) {
            return "";
        }
        long millis = Math.max(1, Duration.between(start, Instant.now()).toMillis());
        long fetched = blob.offset() - firstDownload.get(blob.blob().digest()).offset();
        return Sizes.bytes(fetched * 1000 / millis) + "/s";
    }

    private static String kind(BlobProgress progress) {
        String type = progress.blob().mediaType();
        if (MediaTypes.isIndex(type)) {
            return "index";
        } else if (MediaTypes.isManifest(type)) {
            return "manifest";
        } else if (MediaTypes.isConfig(type)) {
            return "config";
        }
        return "layer";
    }

    private static String label(BlobProgress.State state) {
        return switch (state) {
            case WAITING -> "waiting";
            case DOWNLOADING -> "downloading";
            case DOWNLOADED -> "done";
            case ALREADY_PRESENT -> "already present";
            case UNPACKING -> "unpacking";
            case UNPACKED -> "unpacked";
            case FAILED -> "failed";
        };
    }
}
