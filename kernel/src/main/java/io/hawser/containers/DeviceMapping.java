package io.hawser.containers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host device node made available in a container.
 *
 * @param hostPath      the device on the host ({@code /dev/fuse})
 * @param containerPath where it appears in the container; the host path when {@code null}
 * @param permissions   what the container may do with it, some of {@code r} (read), {@code w}
 *                      (write) and {@code m} (mknod); {@code rwm} when {@code null}
 */
public record DeviceMapping(Path hostPath, String containerPath, String permissions) {

    public DeviceMapping {
        Objects.requireNonNull(hostPath, "hostPath");
        containerPath = containerPath == null ? hostPath.toString() : containerPath;
        permissions = permissions == null || permissions.isEmpty() ? "rwm" : permissions;
        if (!permissions.matches("[rwm]{1,3}")) {
            throw new IllegalArgumentException("device permissions '" + permissions + "' must be some of r, w and m");
        }
    }
}
