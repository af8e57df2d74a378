package io.hawser.runtime.runc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls the JDK has no API for: the JDK's unix sockets are stream sockets only, but
 * conmon's attach socket is {@code SOCK_SEQPACKET}; its control fifo must be opened without
 * blocking, so a dead conmon is an error rather than a hang; and exec'd processes get signals the
 * JDK cannot send; a conmon, which is not the JVM's child, is awaited through a pidfd; and conmon
 * is started with {@code posix_spawn(3)}, which unlike the JDK can hand it descriptors past 2 (see
 * {@link SpawnedChild}), as are the OCI runtime's subcommands, without the JDK's extra exec of its
 * {@code jspawnhelper} (see {@link SpawnedCommand}). Each failing call throws with its errno, but the {@code posix_spawn}
 * family, which returns the error number instead.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_UNIX = 1;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = 0x80000;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0x40;
    int O_TRUNC = 0x200;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    /** errno of open(2) on a fifo for writing without blocking when nobody reads it. */
    int ENXIO = 6;
    int ESRCH = 3;
    int EINTR = 4;
    /** pidfd_open(2): the same number on x86-64 and arm64, as every syscall added since 5.1. */
    long SYS_PIDFD_OPEN = 434;
    short POLLIN = 1;
    int WNOHANG = 1;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    /**
     * Bytes that hold glibc's {@code posix_spawn_file_actions_t} (80 on 64-bit targets),
     * {@code posix_spawnattr_t} (336) and {@code sigset_t} (128), with room to spare: the types are
     * opaque and only ever handled through their functions.
     */
    int SPAWN_FILE_ACTIONS_SIZE = 128;
    int SPAWN_ATTRIBUTES_SIZE = 512;
    int SIGSET_SIZE = 128;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, byte[] address, int length) throws LastErrorException;

    long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    long read(int fd, byte[] buffer, long length) throws LastErrorException;

    long write(int fd, byte[] buffer, long length) throws LastErrorException;

    int pipe2(int[] fds, int flags) throws LastErrorException;

    int waitpid(int pid, int[] status, int options) throws LastErrorException;

    int mkfifo(String path, int mode) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    long syscall(long number, long first, long second) throws LastErrorException;

    /**
     * poll(2) over {@code struct pollfd}s laid out as int pairs: the descriptor, then {@code events}
     * in the low and {@code revents} in the high half (little-endian, as on x86-64 and arm64).
     */
    int poll(int[] fds, long count, int timeoutMillis) throws LastErrorException;

    String strerror(int errno);

    int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attributes, String[] argv, String[] envp);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path, int flags, int mode);

    /** glibc 2.34. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int lowFd);

    /** glibc 2.29. */
    int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    int posix_spawnattr_init(Pointer attributes);

    int posix_spawnattr_destroy(Pointer attributes);

    int posix_spawnattr_setflags(Pointer attributes, short flags);

    int posix_spawnattr_setsigmask(Pointer attributes, Pointer mask);

    int sigemptyset(Pointer set) throws LastErrorException;
}
