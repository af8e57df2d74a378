package io.hawser.snapshots.testsuite;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hawser.host.KernelFilesystems;

/**
 * Skips tests the machine cannot run, saying why: mounting needs root, overlay snapshots need the
 * overlay filesystem. CI runs as root, so these skip only on a developer's unprivileged shell.
 */
public final class HostAssumptions {

    private HostAssumptions() {
    }

    /** Skips unless the process runs as root and may therefore mount. */
    public static void assumeRoot() {
        assumeTrue(effectiveUid() == 0, "skipped: mounting needs root, and this test runs as uid " + effectiveUid());
    }

    /** Skips unless the process runs as root and the kernel offers overlayfs. */
    public static void assumeRootWithOverlay() {
        assumeRoot();
        assumeTrue(KernelFilesystems.current().supports("overlay"), "skipped: the kernel has no overlay filesystem");
    }

    /** The effective user id, from the {@code Uid:} line of {@code /proc/self/status}. */
    private static long effectiveUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> Long.parseLong(line.split("\\s+")[2]))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }
}
