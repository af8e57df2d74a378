package io.hawser.kernel.internal.apply;

import static io.hawser.kernel.internal.apply.LibC.INSTANCE;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.sun.jna.Memory;
import com.sun.jna.Native;

import io.hawser.errors.HawserException;

/**
 * A directory tree that every operation stays inside. The tree's root is held open; a path is
 * opened with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)}, so the kernel refuses any
 * resolution that would leave the root through {@code ..} or a symbolic link (absolute or relative)
 * and any magic link of {@code /proc}; everything else is a {@code *at()} call on a single name in
 * a directory opened that way, with the final component never followed. Nothing is resolved from
 * the host's root, so no host file outside the tree can be reached whatever the tree holds.
 *
 * <p>Errors name the layer entry being applied; a resolution the kernel refuses is an
 * {@code INVALID_ARGUMENT}, a failing file system an {@link IOException}.
 */
final class ConfinedTree implements AutoCloseable {

    /** A file descriptor that is closed with the block that opened it. */
    record Fd(int number) implements AutoCloseable {
        @Override
        public void close() {
            INSTANCE.close(number);
        }

        /** The descriptor as a path, for the few calls that take only paths. */
        String procPath() {
            return "/proc/self/fd/" + number;
        }
    }

    private static final int RESOLVE_ATTEMPTS = 16;
    private static final int COPY_BUFFER = 1 << 20;

    private final Fd root;
    private final Memory openHow = new Memory(LibC.OPEN_HOW_SIZE);
    private final Memory copyBuffer = new Memory(COPY_BUFFER);
    private final byte[] heapBuffer = new byte[COPY_BUFFER];
    private final byte[] stat = new byte[LibC.STAT_SIZE];

    private ConfinedTree(Fd root) {
        this.root = root;
    }

    /** Opens the tree rooted at an existing directory, which must not itself be a symbolic link. */
    static ConfinedTree open(Path directory) throws IOException {
        int fd = INSTANCE.openat(-100, directory.toString(),
                LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw new IOException("cannot open the snapshot directory " + directory + ": " + INSTANCE.strerror(errno));
        }
        return new ConfinedTree(new Fd(fd));
    }

    /**
     * Opens the directory that holds {@code path}, or the root for the root itself.
     *
     * @param create whether to create missing directories on the way (mode 0755, owned by the
     *               applier, as every unpacker does for parents a layer does not list)
     * @return the directory opened {@code O_PATH}, or {@code null} when it is missing and not created
     */
    Fd openParent(EntryPath path, String entry, boolean create) throws IOException {
        EntryPath parent = path.parent();
        int fd = openBeneath(parent.toString());
        if (fd == -LibC.ENOENT && create) {
            createDirectories(parent, entry);
            fd = openBeneath(parent.toString());
        }
        if (fd == -LibC.ENOENT && !create) {
            return null;
        }
        if (fd < 0) {
            throw failure(entry, "opening its directory '" + parent + "'", -fd);
        }
        return new Fd(fd);
    }

    private void createDirectories(EntryPath directory, String entry) throws IOException {
        for (int depth = 1; depth <= directory.components().size(); depth++) {
            EntryPath prefix = directory.prefix(depth);
            int fd = openBeneath(prefix.toString());
            if (fd >= 0) {
                INSTANCE.close(fd);
                continue;
            }
            if (fd != -LibC.ENOENT) {
                throw failure(entry, "opening its directory '" + prefix + "'", -fd);
            }
            try (Fd above = openParent(prefix, entry, false)) {
                if (above == null) {
                    throw failure(entry, "creating its directory '" + prefix + "'", LibC.ENOENT);
                }
                check(INSTANCE.mkdirat(above.number(), prefix.name(), 0755), entry, "creating its directory '" + prefix + "'");
            }
        }
    }

    /** openat2 beneath the root; a negative errno on failure. */
    private int openBeneath(String path) {
        openHow.setLong(0, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        openHow.setLong(8, 0);
        openHow.setLong(16, LibC.RESOLVE_BENEATH | LibC.RESOLVE_NO_MAGICLINKS);
        for (int attempt = 1; ; attempt++) {
            long fd = INSTANCE.syscall(LibC.SYS_OPENAT2, root.number(), path, openHow, (long) LibC.OPEN_HOW_SIZE);
            if (fd >= 0) {
                return (int) fd;
            }
            int errno = Native.getLastError();
            // the kernel asks for a retry when a rename raced the resolution
            if (errno != LibC.EAGAIN || attempt == RESOLVE_ATTEMPTS) {
                return -errno;
            }
        }
    }

    /** The file type bits ({@code S_IFMT}) of a name in a directory, or 0 when it does not exist. */
    int typeOf(Fd directory, String name, String entry) throws IOException {
        if (INSTANCE.fstatat(directory.number(), name, stat, LibC.AT_SYMLINK_NOFOLLOW) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.ENOENT) {
                return 0;
            }
            throw failure(entry, "examining '" + name + "'", errno);
        }
        return LibC.mode(stat) & LibC.S_IFMT;
    }

    /** Removes a name and, for a directory, everything under it; a missing name is no error. */
    void removeAll(Fd directory, String name, String entry) throws IOException {
        int type = typeOf(directory, name, entry);
        if (type == 0) {
            return;
        }
        if (type == LibC.S_IFDIR) {
            try (Fd child = openChild(directory, name, entry)) {
                for (String grandchild : list(child, entry)) {
                    removeAll(child, grandchild, entry);
                }
            }
            check(INSTANCE.unlinkat(directory.number(), name, LibC.AT_REMOVEDIR), entry, "removing directory '" + name + "'");
        } else {
            check(INSTANCE.unlinkat(directory.number(), name, 0), entry, "removing '" + name + "'");
        }
    }

    /**
     * Removes everything under a directory except the paths in {@code keep} (relative to the
     * root), descending into kept directories: what an opaque directory hides of lower layers while
     * keeping what its own layer wrote.
     */
    void removeExcept(Fd directory, EntryPath path, Set<String> keep, String entry) throws IOException {
        for (String name : list(directory, entry)) {
            String childPath = path.isRoot() ? name : path + "/" + name;
            if (!keep.contains(childPath)) {
                removeAll(directory, name, entry);
            } else if (typeOf(directory, name, entry) == LibC.S_IFDIR) {
                try (Fd child = openChild(directory, name, entry)) {
                    removeExcept(child, EntryPath.of(childPath, "layer entry"), keep, entry);
                }
            }
        }
    }

    private Fd openChild(Fd directory, String name, String entry) throws IOException {
        int fd = INSTANCE.openat(directory.number(), name, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            throw failure(entry, "opening directory '" + name + "'", Native.getLastError());
        }
        return new Fd(fd);
    }

    /** The names in a directory, read through the descriptor so no path is resolved again. */
    private static List<String> list(Fd directory, String entry) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(Path.of(directory.procPath()))) {
            children.forEach(child -> names.add(child.getFileName().toString()));
        } catch (IOException e) {
            throw new IOException("layer entry '" + entry + "': cannot list a directory: " + e.getMessage(), e);
        }
        return names;
    }

    void createDirectory(Fd directory, String name, String entry) throws IOException {
        check(INSTANCE.mkdirat(directory.number(), name, 0700), entry, "creating the directory");
    }

    /** Creates a regular file that must not exist yet and fills it with the rest of a stream. */
    void createFile(Fd directory, String name, InputStream content, String entry) throws IOException {
        int fd = INSTANCE.openat(directory.number(), name,
                LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0600);
        if (fd < 0) {
            throw failure(entry, "creating the file", Native.getLastError());
        }
        try (Fd file = new Fd(fd)) {
            for (int n; (n = content.read(heapBuffer)) > 0; ) {
                copyBuffer.write(0, heapBuffer, 0, n);
                for (int written = 0; written < n; ) {
                    long result = INSTANCE.write(file.number(), copyBuffer.share(written), n - written);
                    if (result < 0) {
                        throw failure(entry, "writing the file", Native.getLastError());
                    }
                    written += (int) result;
                }
            }
        }
    }

    void createSymlink(Fd directory, String name, String target, String entry) throws IOException {
        check(INSTANCE.symlinkat(target, directory.number(), name), entry, "creating the symbolic link");
    }

    /** Makes a hard link; {@code linkat} without {@code AT_SYMLINK_FOLLOW} links a symbolic link itself. */
    void createHardLink(Fd targetDirectory, String targetName, Fd directory, String name, String entry) throws IOException {
        if (INSTANCE.linkat(targetDirectory.number(), targetName, directory.number(), name, 0) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.ENOENT) {
                throw HawserException.invalidArgument("layer entry '" + entry + "' is a hard link to '" + targetName
                        + "', which does not exist in the snapshot");
            }
            throw failure(entry, "creating the hard link", errno);
        }
    }

    /** Creates a device, FIFO or overlay whiteout; {@code type} is one of the {@code S_IF*} bits. */
    void createNode(Fd directory, String name, int type, long major, long minor, String entry) throws IOException {
        // the glibc makedev encoding: 12 low bits of major and 8 of minor low, the rest above
        long device = (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
        check(INSTANCE.mknodat(directory.number(), name, type | 0600, device), entry, "creating the node");
    }

    void changeOwner(Fd directory, String name, long uid, long gid, String entry) throws IOException {
        check(INSTANCE.fchownat(directory.number(), name, (int) uid, (int) gid, LibC.AT_SYMLINK_NOFOLLOW), entry, "changing the owner");
    }

    /**
     * Sets the permission bits. {@code fchmodat} follows a final symbolic link, so callers call it
     * only on a name they have just created or examined as something else.
     */
    void changeMode(Fd directory, String name, int mode, String entry) throws IOException {
        check(INSTANCE.fchmodat(directory.number(), name, mode, 0), entry, "changing the mode");
    }

    /**
     * Sets an extended attribute of a name without following it.
     *
     * @return false when the file system does not support that attribute ({@code ENOTSUP})
     */
    boolean setXattr(Fd directory, String name, String attribute, byte[] value, String entry) throws IOException {
        // lsetxattr takes only a path; the descriptor's /proc link pins the directory already resolved
        if (INSTANCE.lsetxattr(directory.procPath() + "/" + name, attribute, value, value.length, 0) < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EOPNOTSUPP) {
                return false;
            }
            throw failure(entry, "setting extended attribute " + attribute, errno);
        }
        return true;
    }

    /** Removes the extended attributes of a name that are not in {@code keep}. */
    void removeXattrsExcept(Fd directory, String name, Set<String> keep, String entry) throws IOException {
        String path = directory.procPath() + "/" + name;
        byte[] list = new byte[LibC.XATTR_LIST_MAX];
        long length = INSTANCE.llistxattr(path, list, list.length);
        if (length < 0) {
            throw failure(entry, "listing extended attributes", Native.getLastError());
        }
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (list[i] == 0) {
                String attribute = new String(list, start, i - start, StandardCharsets.UTF_8);
                if (!keep.contains(attribute)) {
                    check(INSTANCE.lremovexattr(path, attribute), entry, "removing extended attribute " + attribute);
                }
                start = i + 1;
            }
        }
    }

    /** Sets access and modification time to {@code time}, without following a symbolic link. */
    void setTimes(Fd directory, String name, Instant time, String entry) throws IOException {
        long[] times = {time.getEpochSecond(), time.getNano(), time.getEpochSecond(), time.getNano()};
        check(INSTANCE.utimensat(directory.number(), name, times, LibC.AT_SYMLINK_NOFOLLOW), entry, "setting the times");
    }

    @Override
    public void close() {
        root.close();
    }

    private static void check(int result, String entry, String action) throws IOException {
        if (result < 0) {
            throw failure(entry, action, Native.getLastError());
        }
    }

    /** Resolution refusals are the layer's fault; anything else is the file system's. */
    private static IOException failure(String entry, String action, int errno) {
        String what = "layer entry '" + entry + "': " + action;
        return switch (errno) {
            case LibC.EXDEV -> HawserException.invalidArgument(what
                    + " leads outside the snapshot through a symbolic link; refused");
            case LibC.ELOOP -> HawserException.invalidArgument(what
                    + " meets a symbolic link loop, too many links, or a link where a directory must be; refused");
            case LibC.ENOTDIR -> HawserException.invalidArgument(what + " passes through something that is not a directory");
            case LibC.EEXIST -> HawserException.invalidArgument(what + " finds the name taken");
            default -> new IOException(what + " failed: " + INSTANCE.strerror(errno) + " (errno " + errno + ")");
        };
    }
}
