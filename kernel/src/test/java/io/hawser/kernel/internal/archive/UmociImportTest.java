package io.hawser.kernel.internal.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.kernel.internal.images.ImageClosure;
import io.hawser.images.Image;
import io.hawser.images.ImportOptions;
import io.hawser.images.MediaTypes;
import io.hawser.kernel.internal.HostTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OCI layout written by umoci, an independent implementation of the image specification. */
class UmociImportTest {

    @Test
    void importsALayoutMadeByUmoci(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(HostTools.onPath("umoci"), "umoci is not on this machine (Debian package umoci); skipping the interop test");
        assumeTrue(HostTools.onPath("tar"), "tar is not on this machine; skipping the umoci interop test");
        Path layout = dir.resolve("layout");
        Path bundle = dir.resolve("bundle");
        run(dir, "umoci", "init", "--layout", layout.toString());
        run(dir, "umoci", "new", "--image", layout + ":1.0");
        run(dir, "umoci", "unpack", "--rootless", "--image", layout + ":1.0", bundle.toString());
        Files.writeString(bundle.resolve("rootfs").resolve("hello.txt"), "from umoci");
        run(dir, "umoci", "repack", "--image", layout + ":1.0", bundle.toString());
        Path archive = dir.resolve("umoci.tar");
        run(dir, "tar", "-C", layout.toString(), "-cf", archive.toString(), ".");

        MemoryContentStore content = new MemoryContentStore();
        List<Image> imported;
        try (InputStream in = Files.newInputStream(archive)) {
            imported = new ArchiveImporter(content, new MemoryImageStore()).importArchive(in, ImportOptions.defaults(), "registry.local/umoci");
        }

        assertEquals(1, imported.size());
        assertEquals("registry.local/umoci:1.0", imported.getFirst().name());
        assertTrue(MediaTypes.isManifest(imported.getFirst().target().mediaType()));
        assertEquals(1, ImageClosure.manifest(content, imported.getFirst().target(), "umoci").layers().size());
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }
}
