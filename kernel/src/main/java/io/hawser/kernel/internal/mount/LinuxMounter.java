package io.hawser.kernel.internal.mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.hawser.host.MountTable;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;

/**
 * Mounts with mount(2) and umount2(2) through the C library.
 *
 * <p>A mount with a {@linkplain Mount#workingDirectory() working directory} runs on a thread of
 * its own that first unshares its filesystem context ({@code unshare(CLONE_FS)}) and then changes
 * into the directory: the JVM's other threads keep the process's working directory, which a
 * plain chdir would move under their feet.
 */
public class LinuxMounter implements Mounter {

    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    /** A system call that may fail with an errno. */
    @FunctionalInterface
    private interface SystemCall {
        void run() throws LastErrorException;
    }

    @Override
    public void mount(List<Mount> mounts, Path target) throws IOException {
        Path root = target.toRealPath();
        List<Path> done = new ArrayList<>();
        try {
            for (Mount mount : mounts) {
                Path at = mountPoint(root, mount);
                mountOne(mount, at);
                done.add(at);
            }
        } catch (IOException | RuntimeException e) {
            for (Path at : done.reversed()) {
                try {
                    umount(at, 0);
                } catch (IOException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
            }
            throw e;
        }
    }

    @Override
    public void unmount(Path target) throws IOException {
        unmountAll(target, 0);
    }

    @Override
    public void detach(Path target) throws IOException {
        unmountAll(target, MNT_DETACH);
    }

    /**
     * Where a mount of the list goes, creating missing directories one level at a time so that no
     * symbolic link inside the tree can lead the mount, or a created directory, out of the root.
     */
    private static Path mountPoint(Path root, Mount mount) throws IOException {
        Path at = root;
        for (Path name : Path.of(mount.target())) {
            if (name.toString().isEmpty()) {
                continue;
            }
            Path next = at.resolve(name);
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(next);
            }
            at = next.toRealPath();
            if (!at.startsWith(root)) {
                throw new IOException("cannot mount " + MountCall.describe(mount) + " at " + root.resolve(mount.target())
                        + ": the target resolves to " + at + ", outside " + root);
            }
        }
        return at;
    }

    private static void mountOne(Mount mount, Path at) throws IOException {
        MountCall call = MountCall.of(mount);
        String target = at.toString();
        inDirectory(mount.workingDirectory(), () ->
                LibC.INSTANCE.mount(call.source(), target, call.type(), new NativeLong(call.flags()), call.data()),
                mount, at);
        try {
            if (call.remountReadOnly()) {
                perform(() -> LibC.INSTANCE.mount(null, target, null, new NativeLong(call.readOnlyRemountFlags()), null),
                        "cannot make " + MountCall.describe(mount) + " at " + at + " read-only");
            }
            if (call.propagation() != 0) {
                perform(() -> LibC.INSTANCE.mount(null, target, null, new NativeLong(call.propagation()), null),
                        "cannot set the propagation of " + MountCall.describe(mount) + " at " + at);
            }
        } catch (IOException e) {
            try {
                umount(at, 0);
            } catch (IOException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }

    /** Runs the mount call from the mount's working directory, when it has one. */
    private static void inDirectory(String directory, SystemCall call, Mount mount, Path at) throws IOException {
        String failure = "cannot mount " + MountCall.describe(mount) + " at " + at;
        if (directory.isEmpty()) {
            perform(call, failure);
            return;
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            perform(() -> LibC.INSTANCE.unshare(LibC.CLONE_FS), failure + ": cannot unshare the working directory");
            perform(() -> LibC.INSTANCE.chdir(directory), failure + ": cannot change into " + directory);
            perform(call, failure);
            return null;
        });
        // a platform thread: a virtual one would unshare and move its carrier thread
        Thread.ofPlatform().name("hawser-mount").daemon().start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    // the mount is under way and quick; its outcome must not be lost
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IOException(failure + ": " + e.getCause(), e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void unmountAll(Path target, int flags) throws IOException {
        Path root;
        try {
            root = target.toRealPath();
        } catch (NoSuchFileException e) {
            return;
        }
        List<MountTable.Mount> mounts = MountTable.current().mounts();
        // mountinfo lists older mounts first, so the reverse order takes children and stacked mounts first
        for (MountTable.Mount mount : mounts.reversed()) {
            if (mount.mountPoint().startsWith(root)) {
                umount(mount.mountPoint(), flags);
            }
        }
    }

    /** Unmounts one mount point; one that is gone already (a detached parent took it) is fine. */
    private static void umount(Path mountPoint, int flags) throws IOException {
        try {
            LibC.INSTANCE.umount2(mountPoint.toString(), flags);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != EINVAL && e.getErrorCode() != ENOENT) {
                throw failure("cannot unmount " + mountPoint, e);
            }
        }
    }

    private static void perform(SystemCall call, String failure) throws IOException {
        try {
            call.run();
        } catch (LastErrorException e) {
            throw failure(failure, e);
        }
    }

    private static IOException failure(String what, LastErrorException e) {
        return new IOException(what + ": " + LibC.INSTANCE.strerror(e.getErrorCode()) + " (errno " + e.getErrorCode() + ")", e);
    }
}
