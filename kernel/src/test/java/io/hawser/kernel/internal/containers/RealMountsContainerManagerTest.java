package io.hawser.kernel.internal.containers;

import io.hawser.kernel.internal.mount.LinuxMounter;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.testsuite.HostAssumptions;

/** The container service's tests with the kernel's own mounter: real bind mounts, as root only. */
class RealMountsContainerManagerTest extends ContainerManagerTest {

    @Override
    protected Mounter baseMounter() {
        HostAssumptions.assumeRoot();
        return new LinuxMounter();
    }
}
