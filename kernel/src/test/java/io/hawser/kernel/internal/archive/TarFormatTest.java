package io.hawser.kernel.internal.archive;

import static io.hawser.kernel.internal.archive.ImageFixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hawser.kernel.internal.HostTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar writer's output read back, and archives written by GNU tar read by the reader. */
class TarFormatTest {

    private static final String LONG_DIRECTORY = "d".repeat(120);

    @Test
    void namesOfEveryLengthRoundTrip() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("short", utf8("a"));
        files.put("x".repeat(100), utf8("exactly the name field"));
        files.put(LONG_DIRECTORY + "/" + "f".repeat(90), utf8("split into prefix and name"));
        files.put("blobs/sha512/" + "e".repeat(128), utf8("needs a PAX path"));
        files.put("empty", new byte[0]);
        files.put("block", new byte[512]);

        Map<String, byte[]> read = ImageFixtures.untar(ImageFixtures.tar(files));

        assertEquals(List.copyOf(files.keySet()), List.copyOf(read.keySet()));
        files.forEach((name, data) -> assertArrayEquals(data, read.get(name), name));
    }

    @Test
    void readsGnuTarLongNames(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(HostTools.onPath("tar"), "GNU tar is not on this machine, so no archive of its making to read");
        Path deep = Files.createDirectories(dir.resolve("src").resolve(LONG_DIRECTORY).resolve("e".repeat(110)));
        Files.writeString(deep.resolve("file"), "deep");
        Path archive = dir.resolve("gnu.tar");
        Process tar = new ProcessBuilder("tar", "--format=gnu", "-C", dir.resolve("src").toString(), "-cf", archive.toString(), ".")
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes()));

        Map<String, byte[]> read = ImageFixtures.untar(Files.readAllBytes(archive));

        assertEquals(Map.of("./" + LONG_DIRECTORY + "/" + "e".repeat(110) + "/file", "deep"),
                Map.of(read.keySet().iterator().next(), new String(read.values().iterator().next())));
    }
}
