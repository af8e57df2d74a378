package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HostFactsTest {

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void readsTheHardOpenFilesLimit() throws IOException {
        assertEquals(524288, HostFacts.nofileHardLimit(LIMITS));
        assertEquals(Long.MAX_VALUE, HostFacts.nofileHardLimit("Max open files            unlimited            unlimited            files\n"));
        assertThrows(IOException.class, () -> HostFacts.nofileHardLimit("Max cpu time unlimited unlimited seconds\n"));
    }

    @Test
    void readsTheEffectiveCapabilitiesWithoutSysResource() throws IOException {
        // all 41 capabilities but CAP_SYS_RESOURCE (bit 24), as on the machines Hawser runs on
        long mask = HostFacts.effectiveCapabilities("Name:\thawserd\nCapInh:\t0000000000000000\nCapEff:\t000001fffeffffff\n");
        Set<Capability> held = Capability.fromMask(mask);
        assertEquals(EnumSet.complementOf(EnumSet.of(Capability.SYS_RESOURCE)), held);
        assertThrows(IOException.class, () -> HostFacts.effectiveCapabilities("Name:\tx\n"));
    }

    @Test
    void bitsOfCapabilitiesUnknownHereAreIgnored() {
        assertEquals(EnumSet.of(Capability.CHOWN), Capability.fromMask(1L | (1L << 45)));
    }

    @Test
    void readsThisProcess() throws IOException {
        HostFacts facts = HostFacts.ofThisProcess();
        assertTrue(facts.nofileHardLimit() > 0);
    }

    @Test
    void refusesImpossibleFacts() {
        assertThrows(IllegalArgumentException.class, () -> new HostFacts(-1001, 1024, Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new HostFacts(0, -1, Set.of()));
    }
}
