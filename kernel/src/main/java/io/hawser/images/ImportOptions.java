package io.hawser.images;

/**
 * How to import an archive. The format is detected from the archive's content.
 *
 * @param platform    the platform to keep and unpack from multi-platform images, or {@code null}
 *                    to keep every platform the archive has and unpack the host's
 * @param unpack      whether to unpack the imported images
 * @param snapshotter the snapshotter to unpack into; the empty string for the daemon's default
 */
public record ImportOptions(Platform platform, boolean unpack, String snapshotter) {

    public ImportOptions {
        snapshotter = snapshotter == null ? "" : snapshotter;
    }

    /** Every platform kept, the host's unpacked into the default snapshotter. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, true, "");
    }
}
