/**
 * Shims: the processes that supervise containers on the daemon's behalf.
 *
 * <p>A shim is a small process started for each task and each exec'd process, in its own session
 * so it is no child of the daemon. It starts the container (for conmon, by running the OCI runtime
 * binary; for a VM runtime, the shim is the VM process itself, qemu), becomes the parent or
 * subreaper of the container's process, holds the process's standard streams and terminal, writes
 * its output to the log, reaps it when it ends and records its exit status in an
 * {@link io.hawser.shim.ExitFile exit file}.
 *
 * <h2>Why a shim</h2>
 * Because the shim, not the daemon, is the parent, the daemon can stop, crash or be updated while
 * containers keep running: nothing holds their stdio open from the daemon's side and no exit
 * status is lost. The daemon keeps nothing about a shim in memory that is not also written in the
 * shim's state directory ({@link io.hawser.shim.ShimState}).
 *
 * <h2>Lifecycle</h2>
 * A runtime asks a {@link io.hawser.shim.ShimLauncher} to {@code launch} a shim for a
 * {@link io.hawser.shim.ShimSpec}; the launcher writes the state directory and returns a
 * {@link io.hawser.shim.Shim} handle once the container is created. When the daemon starts again,
 * each runtime {@code list}s the state directories of its launcher and {@code reconnect}s to each,
 * finding live shims and the exit status of processes that ended meanwhile. After the runtime has
 * read the exit status and the task is deleted, it {@code shutdown}s the shim, which removes the
 * state directory.
 *
 * <h2>Fitting both kinds</h2>
 * For conmon, the state directory holds conmon's pid file, its exit file with the OOM marker beside
 * it, and the attach socket, and the container pid is the runtime's. For a VM, the directory holding the exit file is
 * shared with the guest over virtio-9p (that directory only, so the guest can touch nothing else
 * of the host's state): the agent in the guest writes the exit file there, stdio and control
 * travel over virtio-serial, and the container pid reported is the VM process's.
 */
@Export
@Version("1.0.0")
package io.hawser.shim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
