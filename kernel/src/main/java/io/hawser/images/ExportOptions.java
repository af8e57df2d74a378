package io.hawser.images;

import java.util.Objects;

/**
 * How to export images.
 *
 * @param format   the archive format
 * @param platform the one platform to export, or {@code null} for every platform whose content is
 *                 in the store
 */
public record ExportOptions(ArchiveFormat format, Platform platform) {

    public ExportOptions {
        Objects.requireNonNull(format, "format");
    }
}
