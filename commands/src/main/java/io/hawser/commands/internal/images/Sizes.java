package io.hawser.commands.internal.images;

import java.time.Duration;
import java.util.Locale;

/** How image commands print sizes, rates and ages: short, binary units, as {@code ctr} does. */
final class Sizes {

    private Sizes() {}

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 37.2 MiB}, {@code 2.0 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code 4s ago}, {@code 3m ago}, {@code 2h ago}, {@code 5d ago}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s ago";
        } else if (seconds < 3600) {
            return seconds / 60 + "m ago";
        } else if (seconds < 86_400) {
            return seconds / 3600 + "h ago";
        }
        return seconds / 86_400 + "d ago";
    }
}
