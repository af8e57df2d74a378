package io.hawser.kernel.internal.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.host.MountTable;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.testsuite.HostAssumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mounts: runs as root only. */
class LinuxMounterTest {

    @TempDir
    Path dir;

    private final Mounter mounter = new LinuxMounter();
    private Path source;
    private Path target;

    @BeforeEach
    void directories() throws IOException {
        HostAssumptions.assumeRoot();
        source = Files.createDirectories(dir.resolve("source"));
        target = Files.createDirectories(dir.resolve("target"));
        Files.writeString(source.resolve("file"), "content");
    }

    @AfterEach
    void unmountEverything() throws IOException {
        mounter.detach(dir);
        assertFalse(mountedUnder(dir), "mounts left under " + dir);
    }

    @Test
    void bindMountShowsTheSourceUntilUnmounted() throws IOException {
        mounter.mount(List.of(new Mount("bind", source.toString(), List.of("rbind", "rw"))), target);

        assertEquals("content", Files.readString(target.resolve("file")));
        Files.writeString(target.resolve("written"), "through the mount");
        assertTrue(Files.exists(source.resolve("written")));

        mounter.unmount(target);
        assertFalse(Files.exists(target.resolve("file")));
    }

    @Test
    void readOnlyBindRefusesWrites() throws IOException {
        mounter.mount(List.of(new Mount("bind", source.toString(), List.of("rbind", "ro"))), target);

        assertEquals("content", Files.readString(target.resolve("file")));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(target.resolve("new"), "x"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only"), e.toString());
    }

    @Test
    void overlayWithRelativeDirectoriesMountsFromItsWorkingDirectory() throws IOException {
        HostAssumptions.assumeRootWithOverlay();
        Files.createDirectories(dir.resolve("upper"));
        Files.createDirectories(dir.resolve("work"));
        Mount overlay = new Mount("overlay", "overlay", "",
                List.of("lowerdir=source", "upperdir=upper", "workdir=work"), dir.toString());

        mounter.mount(List.of(overlay), target);

        assertEquals("content", Files.readString(target.resolve("file")));
        Files.writeString(target.resolve("new"), "upper");
        assertEquals("upper", Files.readString(dir.resolve("upper/new")));
        assertFalse(Files.exists(source.resolve("new")));
    }

    @Test
    void listMountsIntoSubdirectoriesAndUnmountTakesAll() throws IOException {
        mounter.mount(List.of(
                new Mount("tmpfs", "tmpfs", List.of("size=1m")),
                new Mount("bind", source.toString(), "nested/dir", List.of("rbind", "ro"))), target);

        assertEquals("content", Files.readString(target.resolve("nested/dir/file")));

        mounter.unmount(target);
        assertFalse(mountedUnder(target));
    }

    @Test
    void failureNamesTheMountTargetAndErrorAndUndoesEarlierMounts() {
        List<Mount> mounts = List.of(
                new Mount("tmpfs", "tmpfs", List.of("size=1m")),
                new Mount("bind", dir.resolve("missing").toString(), "sub", List.of("bind")));

        IOException e = assertThrows(IOException.class, () -> mounter.mount(mounts, target));

        assertTrue(e.getMessage().startsWith("cannot mount bind " + dir.resolve("missing") + " -o bind at "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": No such file or directory (errno 2)"), e.getMessage());
        assertFalse(mountedUnder(target), "the tmpfs mounted first was left behind");
    }

    @Test
    void aTargetLeadingOutOfTheTreeIsRefused() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(source.resolve("escape"), outside);
        List<Mount> mounts = List.of(
                new Mount("bind", source.toString(), List.of("bind")),
                new Mount("tmpfs", "tmpfs", "escape/created", List.of("size=1m")));

        IOException e = assertThrows(IOException.class, () -> mounter.mount(mounts, target));

        assertTrue(e.getMessage().contains("outside " + target.toRealPath()), e.getMessage());
        assertFalse(Files.exists(outside.resolve("created")));
        assertFalse(mountedUnder(target));
    }

    @Test
    void unmountOfAnUnmountedDirectoryIsNoError() throws IOException {
        mounter.unmount(target);
        mounter.unmount(dir.resolve("does-not-exist"));
    }

    @Test
    void withMountedUnmountsAfterFailedWork() {
        List<Mount> bind = List.of(new Mount("bind", source.toString(), List.of("bind")));

        IOException e = assertThrows(IOException.class, () -> mounter.withMounted(bind, target, root -> {
            assertTrue(Files.exists(root.resolve("file")));
            throw new IOException("work failed");
        }));

        assertEquals("work failed", e.getMessage());
        assertFalse(mountedUnder(target));
    }

    @Test
    void withMountedReturnsTheWorksResult() throws IOException {
        String read = mounter.withMounted(List.of(new Mount("bind", source.toString(), List.of("bind"))), target,
                root -> Files.readString(root.resolve("file")));

        assertEquals("content", read);
        assertFalse(mountedUnder(target));
    }

    @Test
    void detachTakesAwayABusyMount() throws IOException {
        mounter.mount(List.of(new Mount("bind", source.toString(), List.of("bind"))), target);
        try (var open = Files.newDirectoryStream(target)) {
            mounter.detach(target);
            assertFalse(mountedUnder(target));
        }
    }

    private static boolean mountedUnder(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            return false;
        }
        return MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().startsWith(real));
    }
}
