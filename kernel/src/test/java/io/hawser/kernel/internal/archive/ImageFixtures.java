package io.hawser.kernel.internal.archive;

import io.hawser.kernel.internal.images.ImageJson;
import io.hawser.kernel.internal.tar.TarReader;
import io.hawser.kernel.internal.tar.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.content.BlobExistsException;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.images.Descriptor;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;

/** Builds images in a content store and tar archives in memory for the archive tests. */
final class ImageFixtures {

    private ImageFixtures() {}

    /** A layer: the tar of one file, gzip-compressed or not. */
    record Layer(byte[] tar, boolean gzip) {
        static Layer of(String file, String text, boolean gzip) {
            return new Layer(ImageFixtures.tar(Map.of(file, text.getBytes(StandardCharsets.UTF_8))), gzip);
        }

        byte[] stored() {
            return gzip ? ImageFixtures.gzip(tar) : tar;
        }
    }

    /** Commits bytes and returns their digest. */
    static Digest put(ContentStore store, byte[] data) throws IOException {
        Digest digest = Digest.sha256(data);
        try (ContentWriter writer = store.writer("test-" + digest, data.length, digest)) {
            writer.write(ByteBuffer.wrap(data));
            writer.commit(data.length, digest, Map.of());
        } catch (BlobExistsException e) {
            // shared between images of a test
        }
        return digest;
    }

    /** An image config for a platform with the layers' diff IDs. */
    static byte[] config(Platform platform, List<Layer> layers) {
        ObjectNode config = ImageJson.MAPPER.createObjectNode();
        config.put("architecture", platform.architecture());
        config.put("os", platform.os());
        if (!platform.variant().isEmpty()) {
            config.put("variant", platform.variant());
        }
        config.putObject("config").putArray("Cmd").add("/bin/sh");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(l -> diffIds.add(Digest.sha256(l.tar()).toString()));
        return ImageJson.bytes(config);
    }

    /** Stores an OCI image manifest with its config and layers; the descriptor carries the platform. */
    static Descriptor manifest(ContentStore store, Platform platform, List<Layer> layers) throws IOException {
        byte[] config = config(platform, layers);
        ObjectNode manifest = ImageJson.MAPPER.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", ImageJson.toJson(new Descriptor(MediaTypes.OCI_CONFIG, put(store, config), config.length)));
        ArrayNode array = manifest.putArray("layers");
        for (Layer layer : layers) {
            byte[] stored = layer.stored();
            String type = layer.gzip() ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER;
            array.add(ImageJson.toJson(new Descriptor(type, put(store, stored), stored.length)));
        }
        byte[] bytes = ImageJson.bytes(manifest);
        return new Descriptor(MediaTypes.OCI_MANIFEST, put(store, bytes), bytes.length, Map.of(), List.of(), platform);
    }

    /** Stores an OCI index of manifests. */
    static Descriptor index(ContentStore store, List<Descriptor> manifests) throws IOException {
        ObjectNode index = ImageJson.MAPPER.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode array = index.putArray("manifests");
        manifests.forEach(m -> array.add(ImageJson.toJson(m)));
        byte[] bytes = ImageJson.bytes(index);
        return new Descriptor(MediaTypes.OCI_INDEX, put(store, bytes), bytes.length);
    }

    /** A tar of files, in the map's order. */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(out);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writer.file(file.getKey(), file.getValue());
            }
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The files of a tar, in archive order; directories are left out. */
    static Map<String, byte[]> untar(byte[] archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        TarReader reader = new TarReader(new ByteArrayInputStream(archive));
        for (TarReader.Entry entry; (entry = reader.next()) != null; ) {
            if (entry.kind() == TarReader.Kind.FILE) {
                files.put(entry.name(), reader.content().readAllBytes());
            }
        }
        return files;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
