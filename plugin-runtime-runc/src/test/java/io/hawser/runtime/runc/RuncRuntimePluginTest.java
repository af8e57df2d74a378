package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.Test;

class RuncRuntimePluginTest {

    private static final Optional<Path> RUNC = Optional.of(Path.of("/usr/sbin/runc"));
    private static final Optional<Path> CONMON = Optional.of(Path.of("/usr/bin/conmon"));

    @Test
    void bothBinariesPresentServes() {
        assertEquals(PluginStatus.OK, RuncRuntimePlugin.status("runc", RUNC, "conmon", CONMON));
    }

    @Test
    void missingRuntimeIsAnErrorNamingIt() {
        PluginStatus status = RuncRuntimePlugin.status("/opt/hawser-test/crun", Optional.empty(), "conmon", CONMON);

        assertEquals(PluginStatus.error("/opt/hawser-test/crun not found or not executable"), status);
    }

    @Test
    void missingConmonIsAnErrorNamingItAndWhereItWasLookedFor() {
        PluginStatus status = RuncRuntimePlugin.status("runc", RUNC, "conmon", Optional.empty());

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().startsWith("conmon not found in PATH ("), status.reason());
        assertFalse(status.reason().contains("runc"), status.reason());
    }

    @Test
    void bothMissingAreBothNamed() {
        PluginStatus status = RuncRuntimePlugin.status("/opt/hawser-test/runc", Optional.empty(),
                "/opt/hawser-test/conmon", Optional.empty());

        assertEquals(PluginStatus.error("/opt/hawser-test/runc not found or not executable; "
                + "/opt/hawser-test/conmon not found or not executable"), status);
    }
}
