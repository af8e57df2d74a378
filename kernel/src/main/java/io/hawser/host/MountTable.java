package io.hawser.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mounts of this process's mount namespace, read from {@code /proc/self/mountinfo}.
 *
 * @param mounts every mount, in the order the kernel lists them
 */
public record MountTable(List<Mount> mounts) {

    /**
     * One line of {@code mountinfo}.
     *
     * @param mountPoint where it is mounted
     * @param fsType     the filesystem type ({@code ext4}, {@code btrfs}, {@code overlay}, …)
     * @param source     the mount source ({@code /dev/vda}, {@code overlay}, …)
     */
    public record Mount(Path mountPoint, String fsType, String source) {}

    public MountTable {
        mounts = List.copyOf(mounts);
    }

    /** Reads the mount table of this process. */
    public static MountTable current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** Parses the text of a {@code mountinfo} file (proc(5)). */
    public static MountTable parse(String mountinfo) {
        return new MountTable(mountinfo.lines().filter(l -> !l.isBlank()).map(MountTable::parseLine).toList());
    }

    private static Mount parseLine(String line) {
        // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
            throw new IllegalArgumentException("malformed mountinfo line: " + line);
        }
        return new Mount(Path.of(unescape(fields[4])), fields[separator + 1], unescape(fields[separator + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as three-digit octal escapes. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The mount a path lives on: the last-listed mount whose mount point is the longest prefix of
     * the path. A path that does not exist yet is judged by its nearest existing ancestor, since
     * that is where it will be created.
     */
    public Optional<Mount> mountOf(Path path) {
        Path resolved = realOrNearestAncestor(path.toAbsolutePath().normalize());
        Mount best = null;
        for (Mount m : mounts) {
            // ">=": of two mounts on the same point the later one hides the earlier
            if (resolved.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Path realOrNearestAncestor(Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return p.toRealPath().resolve(p.relativize(path));
                } catch (IOException e) {
                    return path;
                }
            }
        }
        return path;
    }
}
