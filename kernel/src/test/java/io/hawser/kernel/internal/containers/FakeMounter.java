package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.stream.Stream;

import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;

/**
 * A mounter that "mounts" bind mounts by copying their source into the target and "unmounts" by
 * emptying it again, so tests run without privileges.
 */
final class FakeMounter implements Mounter {

    private final Set<Path> mounted = new CopyOnWriteArraySet<>();

    @Override
    public void mount(List<Mount> mounts, Path target) throws IOException {
        for (Mount mount : mounts) {
            copyTree(Path.of(mount.source()), target.resolve(mount.target()));
        }
        mounted.add(target);
    }

    @Override
    public void unmount(Path target) throws IOException {
        for (Path point : List.copyOf(mounted)) {
            if (point.startsWith(target)) {
                empty(point);
                mounted.remove(point);
            }
        }
    }

    @Override
    public void detach(Path target) throws IOException {
        unmount(target);
    }

    static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private static void empty(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!path.equals(directory)) {
                    Files.delete(path);
                }
            }
        }
    }
}
