package io.hawser.kernel.internal.apply;

import static io.hawser.kernel.internal.apply.LayerFixtures.describe;
import static io.hawser.kernel.internal.apply.LayerFixtures.differences;
import static io.hawser.kernel.internal.apply.LayerFixtures.gnuTar;
import static io.hawser.kernel.internal.apply.LayerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.content.Digest;
import io.hawser.kernel.internal.HostTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-layer image with deletions, an opaque directory, hard and symbolic links, setuid, setgid
 * and sticky modes, foreign owners, xattrs, a FIFO and devices, unpacked by Hawser in delete mode and
 * by umoci from the same OCI layout, compared entry by entry: type, mode, owner, size, content
 * hash, link target, device number, xattrs and modification time.
 */
class UmociComparisonTest {

    /** A time with nanoseconds, so PAX sub-second times are exercised. */
    private static final String TIME = "@1600000000.123456789";

    @TempDir
    Path dir;

    @BeforeEach
    void needsRootAndTools() throws IOException {
        LayerFixtures.assumeRoot();
        assumeTrue(HostTools.onPath("umoci"), "umoci is not on this machine (Debian package umoci)");
        assumeTrue(HostTools.onPath("tar"), "GNU tar is not on this machine");
    }

    @Test
    void deleteModeUnpacksWhatUmociUnpacks() throws Exception {
        List<byte[]> layers = List.of(baseLayer(), changeLayer(), thirdLayer());
        Path layout = dir.resolve("layout");
        run(dir, "umoci", "init", "--layout", layout.toString());
        run(dir, "umoci", "new", "--image", layout + ":test");
        for (int i = 0; i < layers.size(); i++) {
            Path tar = dir.resolve("layer" + i + ".tar");
            Files.write(tar, layers.get(i));
            run(dir, "umoci", "raw", "add-layer", "--image", layout + ":test", tar.toString());
        }
        run(dir, "umoci", "unpack", "--image", layout + ":test", dir.resolve("bundle").toString());

        Path hawser = Files.createDirectory(dir.resolve("hawser"));
        applyImage(layout, hawser);

        Map<String, LayerFixtures.Node> expected = describe(dir.resolve("bundle/rootfs"));
        Map<String, LayerFixtures.Node> actual = describe(hawser);
        // the root directory is the unpacker's own, not the layers': umoci makes it 0755 at unpack time
        expected.remove(".");
        actual.remove(".");
        assertFalse(expected.isEmpty());
        assertEquals(List.of(), differences(expected, actual));
    }

    /** Applies every layer of the layout's only manifest, checking each against the config's diff IDs. */
    private static void applyImage(Path layout, Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode index = json.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = json.readTree(blob(layout, index.get("manifests").get(0).get("digest").asText()).toFile());
        JsonNode config = json.readTree(blob(layout, manifest.get("config").get("digest").asText()).toFile());
        JsonNode layers = manifest.get("layers");
        LayerApplier applier = new LayerApplier(LayerApplier.Whiteouts.DELETE);
        for (int i = 0; i < layers.size(); i++) {
            Digest diffId = Digest.parse(config.get("rootfs").get("diff_ids").get(i).asText());
            try (InputStream layer = Files.newInputStream(blob(layout, layers.get(i).get("digest").asText()))) {
                LayerApplier.AppliedLayer applied = applier.apply(layer, target, diffId);
                assertEquals(List.of(), applied.skippedXattrs());
            }
        }
    }

    private static Path blob(Path layout, String digest) {
        Digest parsed = Digest.parse(digest);
        return layout.resolve("blobs").resolve(parsed.algorithm().label()).resolve(parsed.hex());
    }

    private byte[] baseLayer() throws Exception {
        Path src = Files.createDirectory(dir.resolve("base"));
        run(src, "sh", "-ec", """
                mkdir -p etc usr/bin usr/lib data/old opaque/sub run dev tmp shared
                echo v1 > etc/config; echo hello > etc/motd
                chown 1000:1000 etc/config; chmod 0640 etc/config
                printf '#!/bin/sh\\n' > usr/bin/tool; chmod 4755 usr/bin/tool
                ln usr/bin/tool usr/bin/tool-hard
                echo lib > usr/lib/libx.so
                ln -s usr/lib lib; ln -s /etc/config abs-link
                echo a > data/old/a; echo b > data/old/b; echo keep > data/keep
                echo l1 > opaque/lower1; echo l2 > opaque/sub/lower2
                chmod 1777 tmp; chgrp 100 shared; chmod 2775 shared
                mkfifo -m 0620 run/pipe
                mknod -m 0666 dev/zero c 1 5; mknod -m 0660 dev/loop7 b 7 7
                """);
        xattr(src.resolve("etc/config"), "user.note", "hello");
        xattr(src.resolve("data"), "user.dirnote", "d");
        return stamped(src);
    }

    private byte[] changeLayer() throws Exception {
        Path src = Files.createDirectory(dir.resolve("change"));
        run(src, "sh", "-ec", """
                mkdir -p data etc usr/bin opaque lib
                touch data/.wh.old usr/bin/.wh.tool-hard opaque/.wh..wh..opq
                echo upper > opaque/upper
                echo v2 > etc/config; chmod 0600 etc/config
                echo new > newfile; chown 4242:4343 newfile
                echo real > lib/real.so
                """);
        xattr(src.resolve("newfile"), "user.mime_type", "text/plain");
        return stamped(src);
    }

    private byte[] thirdLayer() throws Exception {
        Path src = Files.createDirectory(dir.resolve("third"));
        run(src, "sh", "-ec", """
                mkdir -p data/old etc
                echo c > data/old/c
                touch etc/.wh.motd
                """);
        return stamped(src);
    }

    private static void xattr(Path path, String name, String value) throws IOException {
        Files.getFileAttributeView(path, UserDefinedFileAttributeView.class)
                .write(name.substring("user.".length()), ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Gives every entry the same nanosecond time, directories last, and tars the tree. */
    private static byte[] stamped(Path src) throws Exception {
        run(src, "sh", "-ec", "find . -depth -exec touch -h -d " + TIME + " {} +");
        return gnuTar(src);
    }
}
