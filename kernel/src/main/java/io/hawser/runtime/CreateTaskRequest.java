package io.hawser.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hawser.snapshots.Mount;

/**
 * What a runtime needs to create a task.
 *
 * @param id         the task's id, the same as its container's
 * @param bundle     the OCI bundle directory, holding {@code config.json}; the runtime mounts the
 *                   root filesystem at the spec's {@code root.path} inside it
 * @param rootfs     the mounts that make the root filesystem, as a snapshotter returned them; empty
 *                   when the bundle's root is already in place
 * @param io         where the init process's streams go
 * @param options    runtime-specific options, for example the binary to use or
 *                   {@code SystemdCgroup}; a runtime ignores keys it does not know
 * @param checkpoint a checkpoint image directory to restore from instead of starting afresh, or
 *                   {@code null}
 */
public record CreateTaskRequest(String id, Path bundle, List<Mount> rootfs, IOConfig io, Map<String, String> options, Path checkpoint) {

    public CreateTaskRequest {
        Ids.check(id, "task id");
        Objects.requireNonNull(bundle, "bundle");
        rootfs = List.copyOf(rootfs);
        Objects.requireNonNull(io, "io");
        options = options == null ? Map.of() : Map.copyOf(options);
        if (!bundle.isAbsolute()) {
            throw new IllegalArgumentException("bundle must be an absolute path: " + bundle);
        }
    }

    /** A request to start afresh, without runtime options. */
    public CreateTaskRequest(String id, Path bundle, List<Mount> rootfs, IOConfig io) {
        this(id, bundle, rootfs, io, Map.of(), null);
    }
}
