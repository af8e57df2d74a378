package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.hawser.errors.HawserException;

/**
 * Resolves the user a container runs as ({@code name}, {@code uid}, {@code uid:gid},
 * {@code name:group}, …) through the image's own {@code /etc/passwd} and {@code /etc/group},
 * the way the image's C library would inside the container.
 *
 * <p>The files belong to the image, which may be hostile: {@code /etc} and the files are looked
 * up inside the root lexically and a symbolic link at either is refused rather than followed, since
 * an absolute link would name a file of the host. The root filesystem is a snapshot nothing runs in
 * yet, so checking before opening leaves no window for a container to swap the files; the file
 * itself is still opened with {@code O_NOFOLLOW}.
 */
public final class ImageUsers {

    /** The largest passwd or group file read; bounds what an image can make the daemon hold. */
    static final int MAX_FILE_SIZE = 4 * 1024 * 1024;

    /** The highest id usable; {@code (uid_t) -1} means "no change" to the kernel. */
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private ImageUsers() {}

    /**
     * Who a process runs as.
     *
     * @param additionalGids the supplementary groups, the groups of {@code /etc/group} that list
     *                       the user, without the primary group
     * @param home           the home directory from {@code /etc/passwd}, {@code /} without an entry
     */
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
        public ResolvedUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    /** Resolves user specifications as {@link #resolve} does; {@link #in} through a root filesystem's files. */
    @FunctionalInterface
    public interface Resolver {
        ResolvedUser resolve(String user) throws IOException;
    }

    /** A resolver reading the passwd and group files of this mounted root filesystem. */
    public static Resolver in(Path rootfs) {
        return user -> resolve(rootfs, user);
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {}

    private record GroupEntry(String name, long gid, List<String> members) {}

    /**
     * Resolves a user specification. A numeric uid needs no passwd entry (its group is then 0, or
     * the one given); a name must have one.
     *
     * @param rootfs the mounted root filesystem of the image
     * @param user   {@code user[:group]}, each part a name or a number; empty or {@code null} for root
     * @throws HawserException {@code INVALID_ARGUMENT} naming the user or group when it is malformed
     *                         or not in the image, or when the image's {@code /etc}, passwd or group
     *                         file is a symbolic link or too large
     */
    public static ResolvedUser resolve(Path rootfs, String user) throws IOException {
        String spec = user == null || user.isBlank() ? "0" : user.strip();
        String[] parts = spec.split(":", -1);
        if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
            throw HawserException.invalidArgument("invalid user '" + user + "': use name, uid, name:group or uid:gid");
        }
        String userPart = parts[0];
        List<PasswdEntry> passwd = readPasswd(rootfs);
        Optional<Long> numericUid = id(userPart, "uid", user);
        Optional<PasswdEntry> entry = numericUid.isPresent()
                ? passwd.stream().filter(e -> e.uid() == numericUid.get()).findFirst()
                : passwd.stream().filter(e -> e.name().equals(userPart)).findFirst();
        if (numericUid.isEmpty() && entry.isEmpty()) {
            throw HawserException.invalidArgument("user '" + userPart + "' not found in the image's /etc/passwd");
        }
        long uid = numericUid.orElseGet(() -> entry.get().uid());

        List<GroupEntry> groups = readGroups(rootfs);
        long gid;
        if (parts.length == 2) {
            String groupPart = parts[1];
            Optional<Long> numericGid = id(groupPart, "gid", user);
            if (numericGid.isPresent()) {
                gid = numericGid.get();
            } else {
                gid = groups.stream().filter(g -> g.name().equals(groupPart)).findFirst()
                        .orElseThrow(() -> HawserException.invalidArgument("group '" + groupPart + "' not found in the image's /etc/group"))
                        .gid();
            }
        } else {
            gid = entry.map(PasswdEntry::gid).orElse(0L);
        }

        Set<Long> additional = new LinkedHashSet<>();
        entry.ifPresent(e -> groups.stream()
                .filter(g -> g.members().contains(e.name()) && g.gid() != gid)
                .forEach(g -> additional.add(g.gid())));
        return new ResolvedUser(uid, gid, new ArrayList<>(additional), entry.map(PasswdEntry::home).orElse("/"));
    }

    /** The number a part of the specification stands for, empty when the part is a name. */
    private static Optional<Long> id(String part, String kind, String user) throws HawserException {
        if (!part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        if (part.length() > 10 || Long.parseLong(part) > MAX_ID) {
            throw HawserException.invalidArgument("invalid user '" + user + "': " + kind + " " + part + " is above " + MAX_ID);
        }
        return Optional.of(Long.parseLong(part));
    }

    private static List<PasswdEntry> readPasswd(Path rootfs) throws IOException {
        List<PasswdEntry> entries = new ArrayList<>();
        for (String[] fields : records(rootfs, "passwd", 7)) {
            Optional<Long> uid = number(fields[2]);
            Optional<Long> gid = number(fields[3]);
            if (uid.isPresent() && gid.isPresent()) {
                entries.add(new PasswdEntry(fields[0], uid.get(), gid.get(), fields[5].isEmpty() ? "/" : fields[5]));
            }
        }
        return entries;
    }

    private static List<GroupEntry> readGroups(Path rootfs) throws IOException {
        List<GroupEntry> entries = new ArrayList<>();
        for (String[] fields : records(rootfs, "group", 4)) {
            Optional<Long> gid = number(fields[2]);
            if (gid.isPresent()) {
                List<String> members = fields[3].isEmpty() ? List.of() : List.of(fields[3].split(","));
                entries.add(new GroupEntry(fields[0], gid.get(), members));
            }
        }
        return entries;
    }

    /** A number field of a database line; empty when malformed, so the line is skipped as libc does. */
    private static Optional<Long> number(String field) {
        if (field.isEmpty() || field.length() > 10 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        long value = Long.parseLong(field);
        return value <= MAX_ID ? Optional.of(value) : Optional.empty();
    }

    /**
     * The colon-separated records of {@code /etc/<name>} that have exactly {@code fields} fields;
     * comments, blank and malformed lines are skipped. No file means no records: minimal images
     * have none and still run as numeric ids.
     */
    private static List<String[]> records(Path rootfs, String name, int fields) throws IOException {
        Path etc = rootfs.resolve("etc");
        if (Files.isSymbolicLink(etc)) {
            throw HawserException.invalidArgument("the image's /etc is a symbolic link; users cannot be resolved through it");
        }
        Path file = etc.resolve(name);
        if (Files.isSymbolicLink(file)) {
            throw HawserException.invalidArgument("the image's /etc/" + name + " is a symbolic link; users cannot be resolved through it");
        }
        if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        String text;
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] data = Channels.newInputStream(channel).readNBytes(MAX_FILE_SIZE + 1);
            if (data.length > MAX_FILE_SIZE) {
                throw HawserException.invalidArgument("the image's /etc/" + name + " is larger than the " + MAX_FILE_SIZE + " bytes accepted");
            }
            text = new String(data, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String[]> records = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] split = line.split(":", -1);
            if (split.length == fields) {
                records.add(split);
            }
        }
        return records;
    }
}
