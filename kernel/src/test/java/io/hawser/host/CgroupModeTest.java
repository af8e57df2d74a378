package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CgroupModeTest {

    private static final String ROOT = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n";

    @Test
    void cgroup2AtTheRootIsUnified() {
        MountTable mounts = MountTable.parse(ROOT + """
                25 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
                26 25 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 rw,nsdelegate
                """);

        assertEquals(CgroupMode.UNIFIED, CgroupMode.of(mounts));
        assertEquals("v2", CgroupMode.UNIFIED.label());
    }

    @Test
    void v1ControllersBesideAnUnifiedTreeAreHybrid() {
        MountTable mounts = MountTable.parse(ROOT + """
                26 25 0:24 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
                27 26 0:25 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate
                28 26 0:26 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,xattr,name=systemd
                29 26 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
                30 26 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
                """);

        assertEquals(CgroupMode.HYBRID, CgroupMode.of(mounts));
        assertEquals("v1 (hybrid)", CgroupMode.HYBRID.label());
    }

    @Test
    void v1ControllersAloneAreLegacy() {
        MountTable mounts = MountTable.parse(ROOT + """
                26 25 0:24 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
                29 26 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,cpu,cpuacct
                30 26 0:28 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,memory
                """);

        assertEquals(CgroupMode.LEGACY, CgroupMode.of(mounts));
        assertEquals("v1", CgroupMode.LEGACY.label());
    }

    @Test
    void noCgroupFilesystemIsNone() {
        MountTable mounts = MountTable.parse(ROOT + """
                25 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
                26 25 0:24 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755
                31 22 0:29 / /mnt/cgroup rw - cgroup2 cgroup2 rw
                """);

        assertEquals(CgroupMode.NONE, CgroupMode.of(mounts));
        assertEquals("none", CgroupMode.NONE.label());
    }
}
