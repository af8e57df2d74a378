package io.hawser.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The filesystems the running kernel offers: those registered now ({@code /proc/filesystems})
 * and those it can load on the first mount (a module under {@code /lib/modules/<release>}).
 *
 * @param registered the filesystem names in {@code /proc/filesystems}
 * @param modules    the file names under the running kernel's {@code kernel/fs} module tree
 */
public record KernelFilesystems(Set<String> registered, Set<String> modules) {

    public KernelFilesystems {
        registered = Set.copyOf(registered);
        modules = Set.copyOf(modules);
    }

    /** What the running kernel offers. */
    public static KernelFilesystems current() {
        Set<String> registered;
        try {
            registered = parse(Files.readString(Path.of("/proc/filesystems")));
        } catch (IOException e) {
            registered = Set.of();
        }
        Set<String> modules = Set.of();
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
            Path fs = Path.of("/lib/modules", release, "kernel/fs");
            if (Files.isDirectory(fs)) {
                try (Stream<Path> files = Files.walk(fs)) {
                    modules = files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".ko")).collect(Collectors.toSet());
                }
            }
        } catch (IOException e) {
            // no module tree: only the registered filesystems count
        }
        return new KernelFilesystems(registered, modules);
    }

    /** Parses {@code /proc/filesystems}: an optional {@code nodev} column, then the name. */
    public static Set<String> parse(String procFilesystems) {
        return procFilesystems.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.substring(l.lastIndexOf('\t') + 1).replaceFirst("^nodev\\s+", ""))
                .collect(Collectors.toSet());
    }

    /** Whether a filesystem is registered or its module ({@code name.ko}, possibly compressed) exists. */
    public boolean supports(String name) {
        return registered.contains(name) || modules.stream().anyMatch(m -> m.equals(name + ".ko") || m.startsWith(name + ".ko."));
    }
}
