package io.hawser.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void lockFileNamesTheHoldersPid() throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "root")) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve("hawserd.lock")));
        }
    }

    @Test
    void closedLockCanBeTakenAgain() throws Exception {
        DirectoryLock.acquire(dir, "root").close();

        try (DirectoryLock again = DirectoryLock.acquire(dir, "root")) {
            assertTrue(Files.exists(dir.resolve("hawserd.lock")));
        }
    }

    @Test
    void secondAcquireInTheSameProcessIsRefusedAsHeld() throws Exception {
        try (DirectoryLock lock = DirectoryLock.acquire(dir, "root")) {
            var e = assertThrows(DirectoryLock.HeldException.class, () -> DirectoryLock.acquire(dir, "state"));

            assertEquals("state " + dir + " is already in use by this hawserd (pid " + ProcessHandle.current().pid() + ")", e.getMessage());
        }
    }

    @Test
    void directoryLockedByAnotherProcessIsRefusedNamingItsPid() throws Exception {
        Process holder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());

            var e = assertThrows(DirectoryLock.HeldException.class, () -> DirectoryLock.acquire(dir, "root"));

            assertEquals("root " + dir + " is in use by another hawserd (pid " + holder.pid() + ")", e.getMessage());

            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, holder.exitValue());
            // the kernel released the lock with the holder
            try (DirectoryLock lock = DirectoryLock.acquire(dir, "root")) {
                assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve("hawserd.lock")));
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void missingDirectoryIsAnIoError() {
        assertThrows(IOException.class, () -> DirectoryLock.acquire(dir.resolve("missing"), "root"));
    }
}
