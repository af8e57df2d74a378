package io.hawser.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import io.hawser.host.Executables;
import io.hawser.host.KernelFilesystems;
import io.hawser.host.MountTable;
import io.hawser.plugin.PluginStatus.State;

/**
 * What an honest plugin must report on this host, worked out from the host itself, so the
 * integration tests hold on a machine with or without runc, conmon, qemu or btrfs.
 */
final class HostExpectations {

    private HostExpectations() {}

    /** Expected state of each plugin ("type/id"), for a daemon whose root is {@code root}. */
    static Map<String, State> expectedStates(Path root) {
        boolean runcParts = Executables.find("runc").isPresent() && Executables.find("conmon").isPresent();
        boolean vm = Executables.find("qemu-system-x86_64").isPresent() && guestKernelInstalled();
        boolean btrfsRoot = MountTable.current().mountOf(root.resolve("io.hawser.snapshotter.btrfs"))
                .map(m -> m.fsType().equals("btrfs")).orElse(false) && Executables.find("btrfs").isPresent();
        // overlay serves wherever the kernel has overlayfs and the root is not itself on overlay
        boolean overlay = KernelFilesystems.current().supports("overlay")
                && MountTable.current().mountOf(root).map(m -> !m.fsType().equals("overlay")).orElse(true);
        return Map.of(
                "io.hawser.frontend.v1/cli", State.OK,
                "io.hawser.frontend.v1/cri", State.OK,
                "io.hawser.runtime.v1/runc", runcParts ? State.OK : State.ERROR,
                "io.hawser.runtime.v1/kata", vm ? State.NOT_IMPLEMENTED : State.ERROR,
                "io.hawser.snapshotter.v1/overlay", overlay ? State.OK : State.ERROR,
                "io.hawser.snapshotter.v1/btrfs", btrfsRoot ? State.OK : State.ERROR);
    }

    /** A /boot/vmlinuz-RELEASE whose modules include 9p, as the VM runtime needs. */
    private static boolean guestKernelInstalled() {
        try (Stream<Path> images = Files.list(Path.of("/boot"))) {
            return images.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("vmlinuz-"))
                    .anyMatch(n -> Files.isDirectory(Path.of("/lib/modules", n.substring("vmlinuz-".length()), "kernel/fs/9p")));
        } catch (IOException e) {
            return false;
        }
    }
}
