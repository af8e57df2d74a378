package io.hawser.kernel.internal.apply;

import static io.hawser.kernel.internal.apply.LayerFixtures.gnuTar;
import static io.hawser.kernel.internal.apply.LayerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.hawser.kernel.internal.HostTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two layers applied in overlay mode into two upper directories, mounted as overlayfs: the merged
 * view hides what the second layer deleted and what its opaque directory covers.
 */
class OverlayWhiteoutTest {

    @TempDir
    Path dir;

    @Test
    void mergedViewShowsDeletionsAndOpaqueDirectories() throws Exception {
        LayerFixtures.assumeRoot();
        assumeTrue(HostTools.onPath("tar") && HostTools.onPath("mount"), "GNU tar and mount(8) are needed");
        Path lowerSource = Files.createDirectory(dir.resolve("lower-src"));
        run(lowerSource, "sh", "-ec", """
                mkdir -p a opaque/sub
                echo keep > a/keep; echo gone > a/gone; mkdir a/gonedir; echo x > a/gonedir/x
                echo old > opaque/old; echo old > opaque/sub/old
                """);
        Path upperSource = Files.createDirectory(dir.resolve("upper-src"));
        run(upperSource, "sh", "-ec", """
                mkdir -p a opaque
                touch a/.wh.gone a/.wh.gonedir opaque/.wh..wh..opq
                echo new > opaque/new
                """);
        byte[] lowerLayer = gnuTar(lowerSource);
        byte[] upperLayer = gnuTar(upperSource);
        Path lower = Files.createDirectory(dir.resolve("lower"));
        Path upper = Files.createDirectory(dir.resolve("upper"));
        LayerApplier applier = new LayerApplier(LayerApplier.Whiteouts.OVERLAY);
        applier.apply(LayerFixtures.stream(lowerLayer), lower, LayerFixtures.sha256(lowerLayer));
        applier.apply(LayerFixtures.stream(upperLayer), upper, LayerFixtures.sha256(upperLayer));

        LayerFixtures.Node whiteout = LayerFixtures.node(upper.resolve("a/gone"));
        assertEquals('c', whiteout.type());
        assertEquals("0", whiteout.content());
        assertEquals("79", LayerFixtures.xattrs(upper.resolve("opaque")).get("trusted.overlay.opaque"));
        assertFalse(Files.exists(upper.resolve("opaque/.wh..wh..opq")));

        Path merged = Files.createDirectory(dir.resolve("merged"));
        run(dir, "mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + upper + ":" + lower, merged.toString());
        try {
            assertEquals(List.of("keep"), names(merged.resolve("a")));
            assertEquals(List.of("new"), names(merged.resolve("opaque")));
        } finally {
            run(dir, "umount", merged.toString());
        }
    }

    private static List<String> names(Path directory) throws Exception {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
