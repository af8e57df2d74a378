package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {

    // Mount points under a directory that does not exist, so mountOf judges them by "/" and no
    // real file on the test machine changes the outcome.
    private static final String SAMPLE = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
            23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            30 22 0:26 / /hawser-mt-test/data rw,relatime shared:5 master:3 - btrfs /dev/sdb rw,space_cache=v2
            31 30 0:27 /sub /hawser-mt-test/data/images rw,relatime - xfs /dev/sdc1 rw
            32 22 0:28 / /hawser-mt-test/my\\040disk rw,relatime shared:6 - ext4 /dev/disk\\040one rw
            """;

    @Test
    void parsesMountPointTypeAndSourceOfEveryLine() {
        MountTable table = MountTable.parse(SAMPLE);

        assertEquals(List.of(
                new MountTable.Mount(Path.of("/"), "ext4", "/dev/sda1"),
                new MountTable.Mount(Path.of("/proc"), "proc", "proc"),
                new MountTable.Mount(Path.of("/hawser-mt-test/data"), "btrfs", "/dev/sdb"),
                new MountTable.Mount(Path.of("/hawser-mt-test/data/images"), "xfs", "/dev/sdc1"),
                new MountTable.Mount(Path.of("/hawser-mt-test/my disk"), "ext4", "/dev/disk one")), table.mounts());
    }

    @Test
    void decodesOctalEscapesForSpaceTabNewlineAndBackslash() {
        MountTable table = MountTable.parse("40 22 0:30 / /mnt/a\\040b\\011c\\012d\\134e rw - tmpfs tmp\\040fs rw\n");

        MountTable.Mount mount = table.mounts().getFirst();
        assertEquals(Path.of("/mnt/a b\tc\nd\\e"), mount.mountPoint());
        assertEquals("tmp fs", mount.source());
    }

    @Test
    void blankLinesAreSkipped() {
        assertEquals(1, MountTable.parse("\n22 1 8:1 / / rw - ext4 /dev/sda1 rw\n\n").mounts().size());
    }

    @Test
    void malformedLineIsRejectedNamingTheLine() {
        String withoutSeparator = "22 1 8:1 / / rw,relatime shared:1 ext4 /dev/sda1 rw";
        String truncated = "22 1 8:1 / / rw - ext4";

        var first = assertThrows(IllegalArgumentException.class, () -> MountTable.parse(withoutSeparator));
        var second = assertThrows(IllegalArgumentException.class, () -> MountTable.parse("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n" + truncated));

        assertTrue(first.getMessage().contains(withoutSeparator), first.getMessage());
        assertTrue(second.getMessage().contains(truncated), second.getMessage());
    }

    @Test
    void mountOfPicksTheLongestMountPointPrefix() {
        MountTable table = MountTable.parse(SAMPLE);

        assertEquals("xfs", fsType(table, "/hawser-mt-test/data/images/sha256/abc"));
        assertEquals("btrfs", fsType(table, "/hawser-mt-test/data/snapshots"));
        assertEquals("btrfs", fsType(table, "/hawser-mt-test/data"));
        assertEquals("ext4", fsType(table, "/hawser-mt-test/elsewhere"));
    }

    @Test
    void mountPointPrefixIsMatchedByWholeNamesNotCharacters() {
        MountTable table = MountTable.parse(SAMPLE);

        assertEquals("ext4", fsType(table, "/hawser-mt-test/database"));
    }

    @Test
    void relativeAndUnnormalizedPathsAreResolvedFirst() {
        MountTable table = MountTable.parse(SAMPLE);

        assertEquals("btrfs", fsType(table, "/hawser-mt-test/data/images/../snapshots"));
    }

    @Test
    void laterMountOverTheSamePointHidesTheEarlierOne() {
        MountTable table = MountTable.parse("""
                22 1 8:1 / / rw - ext4 /dev/sda1 rw
                50 22 0:40 / /hawser-mt-test/x rw - ext4 /dev/sdd rw
                51 50 0:41 / /hawser-mt-test/x rw - overlay overlay rw,lowerdir=/a
                """);

        assertEquals("overlay", fsType(table, "/hawser-mt-test/x/y"));
    }

    @Test
    void noMountForAPathOutsideEveryMountPoint() {
        MountTable table = MountTable.parse("30 22 0:26 / /hawser-mt-test/data rw - btrfs /dev/sdb rw");

        assertEquals(Optional.empty(), table.mountOf(Path.of("/hawser-mt-test/other")));
    }

    @Test
    void pathThatDoesNotExistYetIsJudgedByItsNearestExistingAncestor(@TempDir Path temp) throws IOException {
        Path real = temp.toRealPath();
        MountTable table = MountTable.parse("""
                22 1 8:1 / / rw - ext4 /dev/sda1 rw
                60 22 0:50 / %s rw - btrfs /dev/sde rw
                """.formatted(real));

        Optional<MountTable.Mount> mount = table.mountOf(temp.resolve("not/created/yet"));

        assertEquals(Optional.of(new MountTable.Mount(real, "btrfs", "/dev/sde")), mount);
    }

    @Test
    void symbolicLinksAreFollowedToWhereTheyLead(@TempDir Path temp) throws IOException {
        Path real = temp.toRealPath();
        Path mounted = Files.createDirectory(real.resolve("mounted"));
        Path link = Files.createSymbolicLink(real.resolve("link"), mounted);
        MountTable table = MountTable.parse("""
                22 1 8:1 / / rw - ext4 /dev/sda1 rw
                60 22 0:50 / %s rw - btrfs /dev/sde rw
                """.formatted(mounted));

        assertEquals("btrfs", table.mountOf(link.resolve("new")).orElseThrow().fsType());
        assertEquals("ext4", table.mountOf(real.resolve("new")).orElseThrow().fsType());
    }

    @Test
    void currentTableOfThisProcessHoldsTheRootMount() {
        MountTable table = MountTable.current();

        assertTrue(table.mounts().stream().anyMatch(m -> m.mountPoint().equals(Path.of("/"))));
        assertTrue(table.mountOf(Path.of("/")).isPresent());
    }

    private static String fsType(MountTable table, String path) {
        return table.mountOf(Path.of(path)).orElseThrow().fsType();
    }
}
