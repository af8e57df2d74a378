package io.hawser.host;

import java.nio.file.Path;

/**
 * How the host mounts cgroups, which decides how limits and statistics are read and which OCI
 * runtimes work ({@code crun} refuses {@link #HYBRID}; {@code runc} takes all three).
 */
public enum CgroupMode {
    /** cgroup v2 alone at {@code /sys/fs/cgroup}. */
    UNIFIED("v2"),
    /** v1 controllers at {@code /sys/fs/cgroup/<controller>} beside a v2 tree at {@code /sys/fs/cgroup/unified}. */
    HYBRID("v1 (hybrid)"),
    /** v1 controllers only. */
    LEGACY("v1"),
    /** No cgroup filesystem mounted at {@code /sys/fs/cgroup}. */
    NONE("none");

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private final String label;

    CgroupMode(String label) {
        this.label = label;
    }

    /** {@code v2}, {@code v1 (hybrid)}, {@code v1} or {@code none}. */
    public String label() {
        return label;
    }

    /** The mode of the given mount table. */
    public static CgroupMode of(MountTable mounts) {
        boolean unifiedAtRoot = false;
        boolean v1 = false;
        boolean v2Beside = false;
        for (MountTable.Mount mount : mounts.mounts()) {
            Path point = mount.mountPoint();
            if (point.equals(CGROUP_ROOT)) {
                unifiedAtRoot = mount.fsType().equals("cgroup2");
            } else if (point.startsWith(CGROUP_ROOT)) {
                v1 |= mount.fsType().equals("cgroup");
                v2Beside |= mount.fsType().equals("cgroup2");
            }
        }
        if (unifiedAtRoot) {
            return UNIFIED;
        }
        if (v1) {
            return v2Beside ? HYBRID : LEGACY;
        }
        return NONE;
    }
}
