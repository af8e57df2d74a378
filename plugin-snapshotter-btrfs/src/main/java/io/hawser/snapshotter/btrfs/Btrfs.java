package io.hawser.snapshotter.btrfs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.hawser.host.HostCommand;

/**
 * The subvolume operations the snapshotter needs, done with the {@code btrfs} command line of
 * btrfs-progs. Each is one short ioctl inside the program; a process per operation costs a few
 * milliseconds, far less than unpacking the layer that follows, and keeps native code out of the
 * bundle.
 */
final class Btrfs {

    /** The inode number of every subvolume's root directory (BTRFS_FIRST_FREE_OBJECTID). */
    private static final long SUBVOLUME_ROOT_INODE = 256;

    /**
     * Generous: deleting a subvolume only unlinks it (the cleaner thread frees extents later), but
     * creating a snapshot waits for the current transaction to commit, which a busy disk delays.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private Btrfs() {}

    /** Creates an empty subvolume at {@code path}, whose parent directory must exist. */
    static void createSubvolume(Path path) throws IOException {
        btrfs("subvolume", "create", path.toString());
    }

    /** Creates {@code target} as a snapshot of the subvolume {@code source}; read-only when asked. */
    static void snapshot(Path source, Path target, boolean readOnly) throws IOException {
        if (readOnly) {
            btrfs("subvolume", "snapshot", "-r", source.toString(), target.toString());
        } else {
            btrfs("subvolume", "snapshot", source.toString(), target.toString());
        }
    }

    /** Makes a subvolume read-only; writes through existing mounts fail from then on too. */
    static void makeReadOnly(Path path) throws IOException {
        btrfs("property", "set", "-ts", path.toString(), "ro", "true");
    }

    /**
     * Deletes a subvolume, read-only or not, with any subvolumes a container created inside it
     * (btrfs-progs before 6.x cannot delete recursively, and the kernel refuses a subvolume that
     * still holds others).
     */
    static void deleteSubvolume(Path path) throws IOException {
        try {
            btrfs("subvolume", "delete", path.toString());
        } catch (IOException refused) {
            // looked for only now: walking a whole root filesystem on every removal would be slow
            List<Path> nested = nestedSubvolumes(path);
            if (nested.isEmpty()) {
                throw refused;
            }
            for (Path inner : nested.reversed()) {
                btrfs("subvolume", "delete", inner.toString());
            }
            btrfs("subvolume", "delete", path.toString());
        }
    }

    /** Whether a directory is the root of a subvolume (not a plain directory inside one). */
    static boolean isSubvolume(Path path) throws IOException {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                && ((Number) Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue() == SUBVOLUME_ROOT_INODE;
    }

    /** The subvolumes inside a subvolume, outer ones before the ones they hold. */
    private static List<Path> nestedSubvolumes(Path subvolume) throws IOException {
        List<Path> nested = new ArrayList<>();
        Files.walkFileTree(subvolume, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(subvolume) && isSubvolume(dir)) {
                    nested.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return nested;
    }

    private static void btrfs(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(arguments.length + 1);
        command.add("btrfs");
        command.addAll(List.of(arguments));
        HostCommand.run(TIMEOUT, command);
    }
}
