package io.hawser.runtime.runc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The C library calls the JDK has no API for: the JDK's unix sockets are stream sockets only, but
 * conmon's attach socket is {@code SOCK_SEQPACKET}; its control fifo must be opened without
 * blocking, so a dead conmon is an error rather than a hang; and exec'd processes get signals the
 * JDK cannot send. Each failing call throws with its errno.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int AF_UNIX = 1;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = 0x80000;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;
    int O_WRONLY = 1;
    int O_NONBLOCK = 0x800;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;
    /** errno of open(2) on a fifo for writing without blocking when nobody reads it. */
    int ENXIO = 6;
    int ESRCH = 3;
    int EINTR = 4;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, byte[] address, int length) throws LastErrorException;

    long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    long write(int fd, byte[] buffer, long length) throws LastErrorException;

    int mkfifo(String path, int mode) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    String strerror(int errno);
}
