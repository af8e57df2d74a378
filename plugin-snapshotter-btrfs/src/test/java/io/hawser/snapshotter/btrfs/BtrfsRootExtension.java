package io.hawser.snapshotter.btrfs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.hawser.host.Executables;
import io.hawser.host.FileTrees;
import io.hawser.host.HostCommand;
import io.hawser.host.KernelFilesystems;
import io.hawser.host.MountTable;
import io.hawser.kernel.internal.mount.LinuxMounter;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh btrfs filesystem for every test: a sparse image file formatted by {@code mkfs.btrfs} and
 * loop-mounted in a temporary directory, unmounted, detached and deleted after the test. Register
 * it as an instance field; its {@code beforeEach} runs before the test class's {@code @BeforeEach}
 * methods and its {@code afterEach} after the {@code @AfterEach} ones, so a subclass of the
 * kernel's snapshotter conformance suite can root the suite's snapshotter at {@link #root()}.
 *
 * <p>Tests are skipped, saying why, when not run as root or when the host has no btrfs; any other
 * failure to make the filesystem fails them.
 */
final class BtrfsRootExtension implements BeforeEachCallback, AfterEachCallback {

    /** Large enough for mkfs.btrfs's minimum and a few test files; sparse, so it costs no disk. */
    private static final long IMAGE_BYTES = 256L << 20;

    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private Path directory;
    private Path image;
    private Path filesystem;
    private final List<BtrfsSnapshotter> opened = new ArrayList<>();
    private final List<Path> mountTargets = new ArrayList<>();
    private final Mounter mounter = new LinuxMounter();

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        assumeTrue(uid == 0, "btrfs tests need root to loop-mount a filesystem; running as uid " + uid);
        assumeTrue(KernelFilesystems.current().supports("btrfs"), "the kernel has no btrfs filesystem");
        assumeTrue(Executables.find("mkfs.btrfs").isPresent() && Executables.find("btrfs").isPresent(),
                "mkfs.btrfs or btrfs is missing; install btrfs-progs");
        directory = Files.createTempDirectory("hawser-btrfs-").toRealPath();
        image = directory.resolve("btrfs.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(IMAGE_BYTES);
        }
        HostCommand.run(TIMEOUT, List.of("mkfs.btrfs", "-q", image.toString()));
        filesystem = Files.createDirectory(directory.resolve("fs"));
        HostCommand.run(TIMEOUT, List.of("mount", "-o", "loop", image.toString(), filesystem.toString()));
    }

    /** Closes what the test opened, unmounts everything, detaches the loop device, deletes the image. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (directory == null) {
            return;
        }
        // SQLite files open on the filesystem would make its unmount fail
        for (BtrfsSnapshotter snapshotter : opened) {
            snapshotter.close();
        }
        for (Path target : mountTargets) {
            mounter.detach(target);
        }
        unmount(filesystem);
        // `mount -o loop` sets autoclear, so the device normally went with the unmount
        for (String line : HostCommand.run(TIMEOUT, List.of("losetup", "-j", image.toString())).lines().toList()) {
            HostCommand.run(TIMEOUT, List.of("losetup", "-d", line.substring(0, line.indexOf(':'))));
        }
        FileTrees.delete(directory);
    }

    /** A directory on the test's btrfs filesystem to root a snapshotter at; the same for the whole test. */
    Path root() {
        return filesystem.resolve("io.hawser.snapshotter.btrfs");
    }

    /** A snapshotter on {@link #root()}, closed after the test; opening again is a daemon restart. */
    BtrfsSnapshotter open(Clock clock) throws IOException {
        BtrfsSnapshotter snapshotter = new BtrfsSnapshotter(root(), clock);
        opened.add(snapshotter);
        return snapshotter;
    }

    /**
     * Performs mounts with the kernel's mounter at a new directory outside the filesystem; they
     * are taken down after the test.
     *
     * @return where the tree appears
     */
    Path mount(List<Mount> mounts) throws IOException {
        Path target = Files.createTempDirectory(directory, "mnt-");
        mounter.mount(mounts, target);
        mountTargets.add(target);
        return target;
    }

    /** Unmounts everything mounted at a target, lazily when busy, so a failed test leaves no mount behind. */
    private static void unmount(Path target) throws IOException {
        while (mounted(target)) {
            try {
                HostCommand.run(TIMEOUT, List.of("umount", target.toString()));
            } catch (IOException busy) {
                HostCommand.run(TIMEOUT, List.of("umount", "-l", target.toString()));
            }
        }
    }

    private static boolean mounted(Path target) {
        return MountTable.current().mounts().stream().anyMatch(mount -> mount.mountPoint().equals(target));
    }
}
