package io.hawser.launcher;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Holds a {@link DirectoryLock} in a process of its own, since fcntl locks only exclude other
 * processes: takes the lock on the directory given as argument, prints {@code locked}, and holds
 * it until its standard input ends.
 */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]), "root")) {
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
