package io.hawser.kernel.internal.apply;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls layer apply needs and the JDK does not offer: every one works relative to a
 * directory file descriptor, so a path is never resolved from the host's root. Each returns -1 and
 * leaves the error in {@link Native#getLastError()}. Constants are the Linux values, the same on
 * x86_64 and aarch64.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    /** openat2(2) has no glibc wrapper; its number is the same on every architecture. */
    long SYS_OPENAT2 = 437;

    int O_WRONLY = 01;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOFOLLOW = 0400000;
    int O_DIRECTORY = 0200000;
    int O_CLOEXEC = 02000000;
    int O_PATH = 010000000;

    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_REMOVEDIR = 0x200;

    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_BENEATH = 0x08;

    int S_IFMT = 0170000;
    int S_IFDIR = 0040000;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int S_IFIFO = 0010000;

    int ENOENT = 2;
    int EAGAIN = 11;
    int EEXIST = 17;
    int EXDEV = 18;
    int ENOTDIR = 20;
    int ELOOP = 40;
    int EOPNOTSUPP = 95;

    /** {@code struct stat} on 64-bit Linux: 144 bytes, {@code st_mode} a u32 at offset 24. */
    int STAT_SIZE = 144;
    int STAT_MODE_OFFSET = 24;

    /** {@code struct open_how}: three u64, flags, mode and resolve. */
    int OPEN_HOW_SIZE = 24;

    long syscall(long number, Object... args);

    int openat(int dirfd, String path, int flags, int mode);

    int close(int fd);

    long write(int fd, Pointer buffer, long count);

    int mkdirat(int dirfd, String path, int mode);

    int mknodat(int dirfd, String path, int mode, long device);

    int symlinkat(String target, int dirfd, String path);

    int linkat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags);

    int unlinkat(int dirfd, String path, int flags);

    int fchownat(int dirfd, String path, int uid, int gid, int flags);

    int fchmodat(int dirfd, String path, int mode, int flags);

    /** {@code times} is two {@code struct timespec}: access then modification, seconds and nanoseconds. */
    int utimensat(int dirfd, String path, long[] times, int flags);

    int fstatat(int dirfd, String path, byte[] stat, int flags);

    int lsetxattr(String path, String name, byte[] value, long size, int flags);

    /** Fills {@code list} with NUL-terminated names; returns the bytes used. */
    long llistxattr(String path, byte[] list, long size);

    int lremovexattr(String path, String name);

    /** Linux's {@code XATTR_LIST_MAX}: the longest list of attribute names of one file. */
    int XATTR_LIST_MAX = 65536;

    String strerror(int errno);

    /** Reads the mode word of a {@code struct stat} buffer filled by {@link #fstatat}. */
    static int mode(byte[] stat) {
        return ByteBuffer.wrap(stat).order(ByteOrder.nativeOrder()).getInt(STAT_MODE_OFFSET);
    }
}
