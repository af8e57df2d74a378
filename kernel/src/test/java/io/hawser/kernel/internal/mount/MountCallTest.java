package io.hawser.kernel.internal.mount;

import static io.hawser.kernel.internal.mount.MountCall.MS_BIND;
import static io.hawser.kernel.internal.mount.MountCall.MS_NODEV;
import static io.hawser.kernel.internal.mount.MountCall.MS_NOSUID;
import static io.hawser.kernel.internal.mount.MountCall.MS_PRIVATE;
import static io.hawser.kernel.internal.mount.MountCall.MS_RDONLY;
import static io.hawser.kernel.internal.mount.MountCall.MS_REC;
import static io.hawser.kernel.internal.mount.MountCall.MS_REMOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.hawser.snapshots.Mount;
import org.junit.jupiter.api.Test;

class MountCallTest {

    @Test
    void flagWordsBecomeBitsAndTheRestIsData() throws IOException {
        MountCall call = MountCall.of(new Mount("overlay", "overlay",
                List.of("nosuid", "lowerdir=/a:/b", "nodev", "upperdir=/u", "workdir=/w")));

        assertEquals(MS_NOSUID | MS_NODEV, call.flags());
        assertEquals("lowerdir=/a:/b,upperdir=/u,workdir=/w", call.data());
        assertFalse(call.remountReadOnly());
        assertEquals(0, call.propagation());
    }

    @Test
    void laterWordsWinOverEarlierOnes() throws IOException {
        assertEquals(0, MountCall.of(new Mount("tmpfs", "tmpfs", List.of("ro", "rw"))).flags());
        assertEquals(MS_RDONLY, MountCall.of(new Mount("tmpfs", "tmpfs", List.of("rw", "ro"))).flags());
    }

    @Test
    void readOnlyBindNeedsARemountKeepingTheOtherFlags() throws IOException {
        MountCall call = MountCall.of(new Mount("bind", "/src", List.of("rbind", "ro", "nosuid")));

        assertEquals(MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID, call.flags());
        assertNull(call.data());
        assertTrue(call.remountReadOnly());
        assertEquals(MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, call.readOnlyRemountFlags());
    }

    @Test
    void bindTypeAloneMakesABindMount() throws IOException {
        MountCall call = MountCall.of(new Mount("bind", "/src", List.of("rw")));

        assertEquals(MS_BIND, call.flags());
        assertFalse(call.remountReadOnly());
    }

    @Test
    void propagationIsKeptApart() throws IOException {
        MountCall call = MountCall.of(new Mount("bind", "/src", List.of("rbind", "rprivate")));

        assertEquals(MS_BIND | MS_REC, call.flags());
        assertEquals(MS_PRIVATE | MS_REC, call.propagation());
    }

    @Test
    void dataLongerThanAPageIsRefusedNamingTheMount() {
        String lower = "lowerdir=" + String.join(":", Collections.nCopies(120, "/var/lib/hawser/io.hawser.snapshotter.overlay/snapshots/100/fs"));
        Mount mount = new Mount("overlay", "overlay", List.of(lower, "upperdir=/u", "workdir=/w"));

        IOException e = assertThrows(IOException.class, () -> MountCall.of(mount));

        assertTrue(e.getMessage().startsWith("cannot mount overlay overlay -o lowerdir="), e.getMessage());
        assertTrue(e.getMessage().contains("more than the 4095 the kernel accepts"), e.getMessage());
    }

    @Test
    void descriptionNamesTheWorkingDirectory() {
        Mount mount = new Mount("overlay", "overlay", "", List.of("lowerdir=1/fs"), "/s");

        assertEquals("overlay overlay -o lowerdir=1/fs (from /s)", MountCall.describe(mount));
    }
}
