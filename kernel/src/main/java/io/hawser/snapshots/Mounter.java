package io.hawser.snapshots;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Performs the {@link Mount}s a snapshotter returns, in this process's mount namespace. The kernel
 * registers one; it needs {@code CAP_SYS_ADMIN}.
 *
 * <p>Options are read the way mount(8) reads them: flag words ({@code ro}, {@code rw},
 * {@code bind}, {@code rbind}, {@code nosuid}, {@code nodev}, {@code noexec}, the atime words and
 * the propagation words such as {@code rprivate}) become mount flags, everything else is handed
 * to the filesystem as its data string. A read-only bind mount is made in two steps because the
 * kernel ignores {@code ro} on the call that creates a bind mount.
 *
 * <p>Failures are {@link IOException}s whose message names the mount (type, source, options), the
 * target directory and the system's error text.
 */
@ProviderType
public interface Mounter {

    /** What to do while mounts are in place. */
    @FunctionalInterface
    interface MountedWork<T> {
        /**
         * @param root the directory the mounts were made at
         */
        T run(Path root) throws IOException;
    }

    /**
     * Mounts a list in order at a directory: each {@link Mount#target()} is taken relative to
     * {@code target}, and a missing target subdirectory is created first. When one mount fails,
     * those already made are taken down again before the failure is thrown.
     *
     * @param mounts what to mount, usually the answer of {@link Snapshotter#prepare} or
     *               {@link Snapshotter#view}
     * @param target an existing directory
     */
    void mount(List<Mount> mounts, Path target) throws IOException;

    /**
     * Unmounts everything mounted at or below a directory, the most recent mount first. Nothing
     * mounted there is not an error, so cleanup code may call it unconditionally.
     *
     * @throws IOException when a mount is busy (a process has its working directory or an open
     *                     file inside); {@link #detach} takes it away regardless
     */
    void unmount(Path target) throws IOException;

    /**
     * Like {@link #unmount} but lazy ({@code MNT_DETACH}): the mounts vanish from the namespace
     * now and are freed once nothing uses them any more. For cleanup after a failure, when a
     * straggling process must not keep a directory from being reclaimed.
     */
    void detach(Path target) throws IOException;

    /**
     * Mounts a list at a directory, runs work on the mounted tree, and unmounts again whether the
     * work succeeded or not. A failure to unmount after failed work is attached to the work's
     * failure rather than hiding it.
     *
     * @return what the work returned
     */
    default <T> T withMounted(List<Mount> mounts, Path target, MountedWork<T> work) throws IOException {
        mount(mounts, target);
        T result;
        try {
            result = work.run(target);
        } catch (IOException | RuntimeException e) {
            try {
                unmount(target);
            } catch (IOException unmountFailure) {
                e.addSuppressed(unmountFailure);
            }
            throw e;
        }
        unmount(target);
        return result;
    }
}
