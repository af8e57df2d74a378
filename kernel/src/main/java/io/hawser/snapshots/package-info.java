/**
 * Snapshotters: how image layers become root filesystems.
 *
 * <p>A {@link io.hawser.snapshots.Snapshotter} keeps a forest of filesystem trees called
 * snapshots. It never mounts anything itself: every operation that yields a filesystem returns a
 * list of {@link io.hawser.snapshots.Mount}s, and the kernel (or a runtime) performs them where it
 * needs the tree. That keeps the snapshotter free of mount namespaces and lets the same answer
 * serve a runc container, which mounts it on the host, and a VM, whose runtime mounts it on the
 * host and shares the result with the guest over virtio-9p.
 *
 * <h2>Kinds</h2>
 * A snapshot is one of three {@link io.hawser.snapshots.Kind}s:
 * <ul>
 * <li><b>active</b>: writable. It is where a layer is unpacked or where a container writes. It can
 *     be mounted any number of times while it exists, and it can be turned into a committed
 *     snapshot, but it can never be the parent of another snapshot: its content is still moving.
 * <li><b>view</b>: a read-only look at a committed snapshot, for inspecting an image without the
 *     cost of a writable layer. A view cannot be committed.
 * <li><b>committed</b>: frozen. It is the only kind that can be a parent. It has no mounts of its
 *     own; to see its content, prepare an active snapshot or a view on top of it.
 * </ul>
 *
 * <h2>Names of arguments</h2>
 * Every method uses the same three words, and they mean the same thing everywhere:
 * <ul>
 * <li><b>key</b> names an active snapshot or a view, the working handle a caller chose when it
 *     called {@code prepare} or {@code view}. Keys are opaque strings; the snapshotter maps them
 *     to its own storage and never takes them as paths.
 * <li><b>name</b> names a committed snapshot, chosen by the caller of {@code commit}. When
 *     snapshots hold unpacked image layers, the name is conventionally the layer stack's chain ID,
 *     so the same layers unpacked twice are recognized and shared.
 * <li><b>parent</b> is the name of a committed snapshot that a new snapshot starts from, or the
 *     empty string for a snapshot that starts empty.
 * </ul>
 * Keys and names share one namespace within a snapshotter: a committed snapshot cannot take a
 * name that an active snapshot or view uses as its key.
 *
 * <h2>Lifecycle</h2>
 * Unpacking an image walks its layers from the bottom: for each layer, {@code prepare} an active
 * snapshot with a fresh key whose parent is the previous layer's committed name (empty for the
 * first), mount it, apply the layer's changes, unmount, and {@code commit} it under the layer's
 * chain ID. Starting a container is one more {@code prepare} with the image's top chain ID as
 * parent; the container's writes land in that active snapshot, which is {@code remove}d with the
 * container. A committed snapshot can be removed only when no snapshot has it as parent, so
 * layers are removed top down; removing an active snapshot that is still mounted is the caller's
 * mistake. {@code remove} may leave disk space to be reclaimed later by {@code cleanup}, which
 * lets removal stay quick under a lock while slow deletion runs outside it.
 *
 * <h2>Mounting</h2>
 * The kernel's {@link io.hawser.snapshots.Mounter} service carries out a list of mounts at a
 * directory and takes them down again; runtimes and the layer unpacker use it rather than calling
 * mount(8), so a mount that needs {@link io.hawser.snapshots.Mount#workingDirectory()} works
 * everywhere.
 *
 * <h2>Implementations</h2>
 * The kernel finds snapshotters as services carrying {@link
 * io.hawser.snapshots.Snapshotter#SNAPSHOTTER_PROPERTY}. The overlay snapshotter keeps each
 * snapshot as a directory with {@code fs} and {@code work} subdirectories and answers with one
 * {@code overlay} mount whose lower directories are the parent chain (or a read-only bind mount
 * when a view has a single layer). The btrfs snapshotter makes each snapshot a subvolume,
 * snapshotting the parent's subvolume (read-only once committed), and answers with a bind mount of
 * the subvolume's directory ({@code ro} for a view). The copy snapshotter, for filesystems with
 * neither feature, copies the parent's tree and answers with a bind mount.
 *
 * <h2>Errors</h2>
 * Blocking methods throw {@link java.io.IOException}. The conditions a caller is expected to act
 * on are {@link io.hawser.errors.HawserException}s with the codes {@code NOT_FOUND}, {@code
 * ALREADY_EXISTS}, {@code FAILED_PRECONDITION} and, for an empty key or name, {@code
 * INVALID_ARGUMENT}, which frontends map onto gRPC status codes; any other {@code IOException} is
 * an internal failure of the snapshotter.
 */
@Export
@Version("1.2.0")
package io.hawser.snapshots;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
