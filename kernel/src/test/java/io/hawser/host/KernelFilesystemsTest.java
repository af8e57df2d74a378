package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class KernelFilesystemsTest {

    private static final String PROC_FILESYSTEMS = """
            nodev\tsysfs
            nodev\ttmpfs
            nodev\tproc
            nodev\tcgroup
            nodev\tcgroup2
            \text3
            \text4
            nodev\toverlay
            \tbtrfs
            nodev\t9p
            """;

    @Test
    void parseKeepsTheNamesWithAndWithoutNodev() {
        assertEquals(Set.of("sysfs", "tmpfs", "proc", "cgroup", "cgroup2", "ext3", "ext4", "overlay", "btrfs", "9p"),
                KernelFilesystems.parse(PROC_FILESYSTEMS));
    }

    @Test
    void registeredFilesystemIsSupported() {
        KernelFilesystems kernel = new KernelFilesystems(KernelFilesystems.parse(PROC_FILESYSTEMS), Set.of());

        assertTrue(kernel.supports("overlay"));
        assertTrue(kernel.supports("ext4"));
        assertFalse(kernel.supports("xfs"));
        assertFalse(kernel.supports("nodev"));
    }

    @Test
    void filesystemWithAModuleIsSupportedCompressedOrNot() {
        KernelFilesystems kernel = new KernelFilesystems(Set.of("ext4"),
                Set.of("overlay.ko.xz", "btrfs.ko", "fuse.ko.zst", "vfat.ko.xz", "9pnet.ko"));

        assertTrue(kernel.supports("overlay"));
        assertTrue(kernel.supports("btrfs"));
        assertTrue(kernel.supports("fuse"));
        assertTrue(kernel.supports("vfat"));
    }

    @Test
    void moduleMustBeNamedExactlyAfterTheFilesystem() {
        KernelFilesystems kernel = new KernelFilesystems(Set.of(), Set.of("overlay.ko.xz", "vfat.ko.xz", "9pnet.ko"));

        assertFalse(kernel.supports("over"));
        assertFalse(kernel.supports("fat"));
        assertFalse(kernel.supports("9p"));
    }
}
