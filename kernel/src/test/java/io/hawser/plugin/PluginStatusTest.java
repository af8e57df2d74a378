package io.hawser.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PluginStatusTest {

    @Test
    void statusThatIsNotOkMustGiveAReason() {
        assertThrows(IllegalArgumentException.class, () -> PluginStatus.error(""));
        assertThrows(IllegalArgumentException.class, () -> PluginStatus.error("  "));
        assertThrows(IllegalArgumentException.class, () -> PluginStatus.notImplemented(null));
        assertThrows(IllegalArgumentException.class, () -> new PluginStatus(PluginStatus.State.ERROR, null));
    }

    @Test
    void okNeedsNoReason() {
        assertEquals(PluginStatus.OK, new PluginStatus(PluginStatus.State.OK, null));
        assertEquals("", PluginStatus.OK.reason());
    }

    @Test
    void stateIsRequired() {
        assertThrows(NullPointerException.class, () -> new PluginStatus(null, "why"));
    }

    @Test
    void factoriesSetStateAndReason() {
        assertEquals(new PluginStatus(PluginStatus.State.ERROR, "runc not found"), PluginStatus.error("runc not found"));
        assertEquals(new PluginStatus(PluginStatus.State.NOT_IMPLEMENTED, "later"), PluginStatus.notImplemented("later"));
        assertEquals("not implemented", PluginStatus.State.NOT_IMPLEMENTED.label());
    }
}
