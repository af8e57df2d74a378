package io.hawser.runtime.kata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a kernel that can boot a guest: a {@code vmlinuz-<release>} whose module tree has the
 * 9p filesystem, which the guest needs to mount its root filesystem shared over virtio-9p.
 * Debian's cloud kernels leave 9p out, so they are passed over.
 */
final class GuestKernel {

    private GuestKernel() {}

    /**
     * The newest suitable kernel image under {@code boot}, judging modules under {@code modules}.
     */
    static Optional<Path> find(Path boot, Path modules) {
        if (!Files.isDirectory(boot)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(boot)) {
            return files
                    .filter(f -> f.getFileName().toString().startsWith("vmlinuz-"))
                    .filter(f -> Files.isDirectory(modules.resolve(release(f)).resolve("kernel/fs/9p")))
                    .max(Comparator.comparing(f -> numericPrefix(release(f)), GuestKernel::compareNumbers));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String release(Path image) {
        return image.getFileName().toString().substring("vmlinuz-".length());
    }

    /** {@code 6.1.0-28-amd64} compares as {@code 6.1.0.28}. */
    private static String numericPrefix(String release) {
        String digits = release.replaceAll("[^0-9.\\-].*$", "").replace('-', '.').replaceAll("\\.+$", "");
        return digits.isEmpty() ? "0" : digits;
    }

    /**
     * Compares dot-separated numbers component by component, a missing component counting as 0.
     * {@link Runtime.Version} will not do: it rejects zeros that releases have ({@code 6.1.0-0.deb11.13}).
     */
    private static int compareNumbers(String a, String b) {
        String[] x = a.split("\\.+");
        String[] y = b.split("\\.+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i].replaceFirst("^0+", "") : "";
            String q = i < y.length ? y[i].replaceFirst("^0+", "") : "";
            int order = p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
