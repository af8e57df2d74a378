package io.hawser.kernel.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.tar.TarWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same layer uncompressed, gzipped and zstd-compressed gives one tree and one diff ID; a wrong diff ID fails. */
class LayerCompressionTest {

    @TempDir
    Path dir;
    private byte[] tar;

    @BeforeEach
    void layer() throws IOException {
        LayerFixtures.assumeRoot();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(out);
        writer.directory("etc");
        writer.file("etc/hostname", "hawser\n".getBytes(StandardCharsets.UTF_8));
        writer.finish();
        tar = out.toByteArray();
    }

    @Test
    void uncompressedGzipAndZstdLayersApplyAlike() throws IOException {
        Digest diffId = LayerFixtures.sha256(tar);
        byte[][] blobs = {tar, compressed(GZIPOutputStream::new), compressed(ZstdOutputStream::new)};
        for (int i = 0; i < blobs.length; i++) {
            Path target = Files.createDirectory(dir.resolve("target" + i));
            LayerApplier.AppliedLayer applied = new LayerApplier(LayerApplier.Whiteouts.DELETE)
                    .apply(LayerFixtures.stream(blobs[i]), target, diffId);
            assertEquals(diffId, applied.diffId());
            assertEquals("hawser\n", Files.readString(target.resolve("etc/hostname")));
        }
    }

    @Test
    void diffIdMismatchFailsNamingBoth() {
        Digest wrong = Digest.sha256("another layer".getBytes(StandardCharsets.UTF_8));
        HawserException e = assertThrows(HawserException.class, () -> new LayerApplier(LayerApplier.Whiteouts.DELETE)
                .apply(LayerFixtures.stream(tar), dir, wrong));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains(wrong.toString()) && e.getMessage().contains(LayerFixtures.sha256(tar).toString()),
                e.getMessage());
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    private byte[] compressed(Compressor compressor) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressing = compressor.wrap(out)) {
            compressing.write(tar);
        }
        return out.toByteArray();
    }
}
