package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.kernel.internal.mount.LinuxMounter;
import io.hawser.snapshots.Mount;
import io.hawser.snapshots.testsuite.HostAssumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a runtime finds in its shims directory after a daemon died in the middle of a create. */
class RuncRuntimeRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path temp;

    private final LinuxMounter mounter = new LinuxMounter();
    private RuncRuntime runtime;
    private Path shims;

    @BeforeEach
    void openRuntime() throws IOException {
        HostAssumptions.assumeRoot();
        Optional<Path> runc = Executables.find("runc");
        Optional<Path> conmon = Executables.find("conmon");
        assumeTrue(runc.isPresent() && conmon.isPresent(), "skipped: runc or conmon missing");
        shims = temp.resolve("shims");
        RuncCommand command = new RuncCommand(runc.get(), temp.resolve("runc"), TIMEOUT);
        runtime = new RuncRuntime(new ConmonLauncher(conmon.get(), command, ConmonCgroup.none(), TIMEOUT), mounter, shims, TIMEOUT);
    }

    @AfterEach
    void close() throws IOException {
        if (runtime != null) {
            runtime.close();
            mounter.detach(temp);
        }
    }

    @Test
    void aCreateInterruptedAfterMountingIsUndone() throws IOException {
        Path rootfs = Files.createDirectories(temp.resolve("bundle/rootfs"));
        Path stateDir = Files.createDirectories(shims.resolve("half-made"));
        new ShimRecord("half-made", "", temp.resolve("bundle").toString(), rootfs.toString(), null, false, false, false,
                0, 0, 0).write(stateDir);
        mounter.mount(List.of(new Mount("tmpfs", "tmpfs", List.of("size=1m"))), rootfs);

        assertEquals(List.of(), runtime.tasks());

        assertFalse(Files.exists(stateDir), "state directory left");
        assertTrue(MountTable.current().mounts().stream().noneMatch(m -> m.mountPoint().startsWith(temp)), "mount left");
    }

    @Test
    void aDirectoryWithoutARecordIsRemoved() throws IOException {
        Path stateDir = Files.createDirectories(shims.resolve("no-record"));
        Files.writeString(stateDir.resolve("conmon.stderr"), "");

        assertEquals(Optional.empty(), runtime.task("no-record"));
        assertFalse(Files.exists(stateDir));
    }

    @Test
    void anIdNamingAPathOutsideIsNoTask() throws IOException {
        assertEquals(Optional.empty(), runtime.task(".."));
        assertEquals(Optional.empty(), runtime.task("../shims"));
        assertTrue(Files.isDirectory(shims));
    }
}
