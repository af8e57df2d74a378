package io.hawser.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a directory, held for the daemon's life through an fcntl lock on
 * {@code <dir>/hawserd.lock}, which also names the holder's pid. The kernel drops the lock when
 * the process dies, however it dies, so a crash never leaves a stale lock behind.
 */
final class DirectoryLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** A daemon already holds the directory. */
    static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock.
     *
     * @param role what the directory is to the daemon ("root", "state"), for the message
     * @throws HeldException when another process holds it
     */
    static DirectoryLock acquire(Path directory, String role) throws IOException, HeldException {
        Path file = directory.resolve("hawserd.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // fcntl locks belong to the process, so the JVM reports its own lock this way instead
            // of returning null; closing the channel drops that lock too, so the caller must give up
            channel.close();
            throw new HeldException(role + " " + directory + " is already in use by this hawserd (pid "
                    + ProcessHandle.current().pid() + ")");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new HeldException(role + " " + directory + " is in use by another hawserd"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")"));
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new DirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
