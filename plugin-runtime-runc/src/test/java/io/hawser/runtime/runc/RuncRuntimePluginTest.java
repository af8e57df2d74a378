package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.Optional;

import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.Test;

class RuncRuntimePluginTest {

    private static final Optional<Path> RUNC = Optional.of(Path.of("/usr/sbin/runc"));
    private static final Optional<Path> CONMON = Optional.of(Path.of("/usr/bin/conmon"));

    private static RuncRuntimePlugin plugin(String binary, String conmon) {
        return new RuncRuntimePlugin(new RuncRuntimePlugin.Config() {
            @Override
            public String binary() {
                return binary;
            }

            @Override
            public String conmon() {
                return conmon;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return RuncRuntimePlugin.Config.class;
            }
        });
    }

    @Test
    void bothBinariesPresentIsNotImplementedYet() {
        PluginStatus status = plugin("runc", "conmon").status(RUNC, CONMON);

        assertEquals(State.NOT_IMPLEMENTED, status.state());
    }

    @Test
    void missingRuntimeIsAnErrorNamingIt() {
        PluginStatus status = plugin("/opt/hawser-test/crun", "conmon").status(Optional.empty(), CONMON);

        assertEquals(PluginStatus.error("/opt/hawser-test/crun not found or not executable"), status);
    }

    @Test
    void missingConmonIsAnErrorNamingItAndWhereItWasLookedFor() {
        PluginStatus status = plugin("runc", "conmon").status(RUNC, Optional.empty());

        assertEquals(State.ERROR, status.state());
        assertTrue(status.reason().startsWith("conmon not found in PATH ("), status.reason());
        assertFalse(status.reason().contains("runc"), status.reason());
    }

    @Test
    void bothMissingAreBothNamed() {
        PluginStatus status = plugin("/opt/hawser-test/runc", "/opt/hawser-test/conmon").status(Optional.empty(), Optional.empty());

        assertEquals(PluginStatus.error("/opt/hawser-test/runc not found or not executable; "
                + "/opt/hawser-test/conmon not found or not executable"), status);
    }
}
