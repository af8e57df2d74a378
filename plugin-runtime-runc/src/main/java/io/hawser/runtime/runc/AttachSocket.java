package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.sun.jna.LastErrorException;
import io.hawser.errors.HawserException;
import io.hawser.runtime.Attachment;

/**
 * A client connection to conmon's attach socket, a {@code SOCK_SEQPACKET} unix socket (which the
 * JDK cannot open, hence the C calls).
 *
 * <p>The protocol, as conmon 2.1 speaks it and the tests check: every message conmon sends is one
 * packet of output, its first byte naming the stream ({@value #STDOUT} stdout, {@value #STDERR}
 * stderr; with a terminal everything is stdout) and the rest the bytes read from the process, at
 * most {@value #CHUNK} of them. What the client sends is written to the process's stdin as it is,
 * without a prefix. When the client shuts down its sending side, conmon closes the process's stdin
 * unless it was started with {@code --leave-stdin-open}. When the process's output ends conmon
 * exits and the connection reads end of file.
 *
 * <p>{@link #read} blocks in a native call, which pins a virtual thread to its carrier for as long
 * as it waits: read from a platform thread, or a few virtual threads could stall all the others.
 *
 * <p>The socket is reached through {@code /proc/self/fd/N/attach}, N a descriptor of its
 * directory, the way conmon binds it: the path then always fits a socket address, however long
 * the directory's own path.
 */
final class AttachSocket implements Attachment {

    static final int STDOUT = 2;
    static final int STDERR = 3;
    /** conmon's STDIO_BUF_SIZE: the most output one packet carries. */
    private static final int CHUNK = 8192;

    private final int fd;
    private final boolean stdin;
    /** Reads and writes hold it shared; closing takes it exclusively, so the descriptor is not closed under a call. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private AttachSocket(int fd, boolean stdin) {
        this.fd = fd;
        this.stdin = stdin;
    }

    /**
     * Connects to the attach socket in a directory.
     *
     * @param stdin whether the process has an input stream, so {@link #write} may send to it
     */
    static AttachSocket connect(Path directory, boolean stdin) throws IOException {
        LibC c = LibC.INSTANCE;
        int dirFd;
        try {
            dirFd = c.open(directory.toString(), LibC.O_PATH | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + directory + " to attach: " + c.strerror(e.getErrorCode()), e);
        }
        try {
            int fd = c.socket(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_CLOEXEC, 0);
            byte[] path = ("/proc/self/fd/" + dirFd + "/attach").getBytes(StandardCharsets.US_ASCII);
            // struct sockaddr_un: sa_family_t (native order, little-endian here) then the NUL-terminated path
            byte[] address = new byte[2 + path.length + 1];
            address[0] = (byte) LibC.AF_UNIX;
            System.arraycopy(path, 0, address, 2, path.length);
            try {
                c.connect(fd, address, address.length);
            } catch (LastErrorException e) {
                c.close(fd);
                throw new IOException("cannot attach to " + directory.resolve("attach") + ": "
                        + c.strerror(e.getErrorCode()), e);
            }
            return new AttachSocket(fd, stdin);
        } finally {
            c.close(dirFd);
        }
    }

    @Override
    public Chunk read() throws IOException {
        byte[] buffer = new byte[CHUNK + 1];
        lock.readLock().lock();
        try {
            while (!closed.get()) {
                long length = recv(buffer);
                if (length <= 0) {
                    return null;
                }
                if (length == 1) {
                    continue;
                }
                Stream stream = switch (buffer[0]) {
                    case STDOUT -> Stream.STDOUT;
                    case STDERR -> Stream.STDERR;
                    default -> throw new IOException("conmon sent output of unknown stream " + buffer[0]);
                };
                return new Chunk(stream, Arrays.copyOfRange(buffer, 1, (int) length));
            }
            return null;
        } finally {
            lock.readLock().unlock();
        }
    }

    private long recv(byte[] buffer) throws IOException {
        while (true) {
            try {
                return LibC.INSTANCE.recv(fd, buffer, buffer.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw failure("reading from", e);
                }
            }
        }
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
        if (!stdin) {
            throw HawserException.failedPrecondition("the process has no input stream");
        }
        lock.readLock().lock();
        try {
            if (closed.get()) {
                throw new IOException("the attachment is closed");
            }
            // one packet per piece: conmon reads at most its buffer size minus one per packet
            int at = offset;
            while (at < offset + length) {
                int size = Math.min(CHUNK - 1, offset + length - at);
                byte[] packet = Arrays.copyOfRange(data, at, at + size);
                try {
                    at += (int) LibC.INSTANCE.send(fd, packet, size, 0);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw failure("writing to", e);
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void closeStdin() throws IOException {
        lock.readLock().lock();
        try {
            if (!closed.get()) {
                LibC.INSTANCE.shutdown(fd, LibC.SHUT_WR);
            }
        } catch (LastErrorException e) {
            throw failure("closing input of", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // wakes a read blocked in recv, so the exclusive lock below can be had
            LibC.INSTANCE.shutdown(fd, LibC.SHUT_RDWR);
        } catch (LastErrorException alreadyDisconnected) {
            // conmon has gone; the descriptor still needs closing
        }
        lock.writeLock().lock();
        try {
            LibC.INSTANCE.close(fd);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static IOException failure(String action, LastErrorException e) {
        return new IOException(action + " conmon's attach socket failed: " + LibC.INSTANCE.strerror(e.getErrorCode()), e);
    }
}
