package io.hawser.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hawser.images.MediaTypes.Compression;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void classifies() {
        assertTrue(MediaTypes.isIndex(MediaTypes.OCI_INDEX));
        assertTrue(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST));
        assertTrue(MediaTypes.isManifest(MediaTypes.DOCKER_MANIFEST));
        assertTrue(MediaTypes.isConfig(MediaTypes.OCI_CONFIG));
        assertTrue(MediaTypes.isLayer(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP));
        assertFalse(MediaTypes.isLayer(MediaTypes.OCI_CONFIG));
        assertTrue(MediaTypes.isForeign(MediaTypes.DOCKER_FOREIGN_LAYER_GZIP));
        assertFalse(MediaTypes.isForeign(MediaTypes.OCI_LAYER_GZIP));
    }

    @Test
    void ignoresParameters() {
        assertTrue(MediaTypes.isManifest(MediaTypes.OCI_MANIFEST + "; charset=utf-8"));
    }

    @Test
    void tellsCompression() {
        assertEquals(Compression.NONE, MediaTypes.compression(MediaTypes.OCI_LAYER));
        assertEquals(Compression.GZIP, MediaTypes.compression(MediaTypes.OCI_LAYER_GZIP));
        assertEquals(Compression.ZSTD, MediaTypes.compression(MediaTypes.OCI_LAYER_ZSTD));
        assertEquals(Compression.GZIP, MediaTypes.compression(MediaTypes.DOCKER_LAYER_GZIP));
        assertEquals(Compression.NONE, MediaTypes.compression(MediaTypes.DOCKER_LAYER));
        assertThrows(IllegalArgumentException.class, () -> MediaTypes.compression(MediaTypes.OCI_MANIFEST));
    }
}
