package io.hawser.images;

/**
 * How to import an archive. The format is detected from the archive's content.
 *
 * @param platform    the platform to keep and unpack from multi-platform images, or {@code null}
 *                    to keep every platform the archive has and unpack the host's
 * @param unpack      whether to unpack the imported images
 * @param snapshotter the snapshotter to unpack into; the empty string for the daemon's default
 * @param baseName    the repository name given to images the archive names only by a tag
 *                    ({@code name:TAG}) or not at all ({@code name@DIGEST}), as {@code ctr import
 *                    --base-name} does; the empty string for none, and such images are then refused
 */
public record ImportOptions(Platform platform, boolean unpack, String snapshotter, String baseName) {

    public ImportOptions {
        snapshotter = snapshotter == null ? "" : snapshotter;
        baseName = baseName == null ? "" : baseName;
    }

    /** Every platform kept, the host's unpacked into the default snapshotter. */
    public static ImportOptions defaults() {
        return new ImportOptions(null, true, "", "");
    }
}
