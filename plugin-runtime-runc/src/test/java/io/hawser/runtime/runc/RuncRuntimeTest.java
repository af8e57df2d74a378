package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import io.hawser.host.Executables;
import io.hawser.kernel.internal.mount.LinuxMounter;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.testsuite.RuntimeConformance;

/** The runtime conformance suite on real runc under real conmon. */
class RuncRuntimeTest extends RuntimeConformance {

    @Override
    protected Runtime newRuntime(Path stateDir) throws IOException {
        Duration timeout = Duration.ofSeconds(20);
        RuncCommand runc = new RuncCommand(Executables.find("runc").orElseThrow(() -> new IOException("runc missing")),
                stateDir.resolve("runc"), timeout);
        ConmonLauncher launcher = new ConmonLauncher(Executables.find("conmon").orElseThrow(() -> new IOException("conmon missing")),
                runc, ConmonCgroup.none(), timeout);
        return new RuncRuntime(launcher, new LinuxMounter(), stateDir.resolve("shims"), timeout);
    }
}
