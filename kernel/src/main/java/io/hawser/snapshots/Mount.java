package io.hawser.snapshots;

import java.util.List;
import java.util.Objects;

/**
 * One mount to perform, in the terms of mount(2) and mount(8). Snapshotters return lists of these
 * and the kernel or a runtime carries them out, in order, wherever it wants the tree to appear.
 *
 * <p>Examples: an overlay snapshot is {@code overlay} from {@code overlay} with
 * {@code lowerdir=…,upperdir=…,workdir=…}; a btrfs snapshot is {@code bind} from its subvolume's
 * directory with {@code rbind,rw} ({@code rbind,ro} for a view); a copy snapshot is {@code bind}
 * from its directory with {@code rbind,rw}.
 *
 * <p>The kernel copies a mount's option string into a single page (4096 bytes), so an overlay of
 * a hundred layers named by absolute paths does not fit. A snapshotter then names its directories
 * relative to one directory and sets {@link #workingDirectory()}: whoever performs the mount does so
 * from that directory, as mount(8) would from a shell that changed into it, and the filesystem
 * resolves the relative paths once, when it is mounted.
 *
 * @param type    the filesystem type, or {@code bind} for a bind mount
 * @param source  the device, directory or pseudo-source ({@code overlay}) to mount
 * @param target  where to mount, relative to the directory the caller mounts the list at; the
 *                empty string for that directory itself. Later mounts may target subdirectories
 *                created by earlier ones.
 * @param options the options as mount(8) {@code -o} takes them, one per element, including the
 *                flag words ({@code ro}, {@code rbind}, {@code nosuid}); order is kept because
 *                overlay reads its options in order
 * @param workingDirectory the absolute directory relative paths in {@code source} and
 *                {@code options} are resolved against when mounting; the empty string when every
 *                path is absolute. It never applies to {@code target}.
 */
public record Mount(String type, String source, String target, List<String> options, String workingDirectory) {

    /**
     * The longest option string, in UTF-8 bytes, that mount(2) takes: the kernel copies it into
     * one page with its terminating NUL, and 4096 bytes is the smallest page Linux runs with. The
     * options that are not flag words ({@code ro}, {@code bind}, …) count, joined by commas.
     */
    public static final int MAX_OPTION_BYTES = 4095;

    public Mount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        target = target == null ? "" : target;
        options = List.copyOf(options);
        workingDirectory = workingDirectory == null ? "" : workingDirectory;
        if (type.isBlank()) {
            throw new IllegalArgumentException("mount type must not be blank");
        }
        // a target escaping the mount root would let a snapshotter mount over the host
        if (target.startsWith("/") || List.of(target.split("/")).contains("..")) {
            throw new IllegalArgumentException("mount target must be a relative path inside the mount root: " + target);
        }
        if (!workingDirectory.isEmpty() && !workingDirectory.startsWith("/")) {
            throw new IllegalArgumentException("mount working directory must be absolute: " + workingDirectory);
        }
    }

    /** A mount whose paths are all absolute. */
    public Mount(String type, String source, String target, List<String> options) {
        this(type, source, target, options, "");
    }

    /** A mount at the root of wherever the caller mounts the list, its paths all absolute. */
    public Mount(String type, String source, List<String> options) {
        this(type, source, "", options, "");
    }

    /** Whether the mount is read-only, that is its options contain {@code ro}. */
    public boolean readOnly() {
        return options.contains("ro");
    }

    /** Whether this is a bind mount, which needs no filesystem driver and survives in a 9p share as is. */
    public boolean bind() {
        return type.equals("bind") || options.contains("bind") || options.contains("rbind");
    }
}
