package io.hawser.itest.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Builds OCI or Docker schema 2 images in memory from layers a test describes: busybox from the
 * {@code busybox-static} package, small files, seeded random (incompressible) data, or any tar.
 * {@link #build} gives one linux/amd64 image; {@link #buildIndex} gives an index whose platforms
 * share the same layers and differ in their configs (only the amd64 one is meant to run).
 */
public final class ImageBuilder {

    /** The statically linked busybox of Debian's {@code busybox-static}. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    /** The applets {@link #busyboxLayer()} links to busybox in {@code /bin}. */
    public static final List<String> BUSYBOX_APPLETS = List.of(
            "sh", "echo", "cat", "ls", "sleep", "true", "false", "env", "id", "mkdir", "rm", "touch", "test", "wc", "ps", "kill");

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ImageFormat format;
    private final List<byte[]> layerTars = new ArrayList<>();
    private boolean gzip = true;
    private List<String> cmd = List.of("/bin/sh");
    /** Run-config fields beyond {@code Env} and {@code Cmd}, as the image config spells them. */
    private final Map<String, Object> runConfigFields = new LinkedHashMap<>();

    private ImageBuilder(ImageFormat format) {
        this.format = format;
    }

    public static ImageBuilder oci() {
        return new ImageBuilder(ImageFormat.OCI);
    }

    public static ImageBuilder dockerSchema2() {
        return new ImageBuilder(ImageFormat.DOCKER_SCHEMA2);
    }

    /** Whether layers are pushed gzip-compressed (the default) or as plain tar. */
    public ImageBuilder gzip(boolean compressed) {
        this.gzip = compressed;
        return this;
    }

    /** The image's {@code config.Cmd}; {@code /bin/sh} unless set. */
    public ImageBuilder cmd(String... command) {
        this.cmd = List.of(command);
        return this;
    }

    /**
     * Sets a field of the image config's run config ({@code config}), by its name there:
     * {@code Entrypoint}, {@code Env}, {@code WorkingDir}, {@code User}, {@code StopSignal}, ...
     * An {@code Env} set here replaces the default {@code PATH} entry.
     */
    public ImageBuilder runConfig(String field, Object value) {
        runConfigFields.put(field, value);
        return this;
    }

    /**
     * A layer of more busybox applets in {@code /bin}, symbolic links to {@code busybox}, for
     * images whose tests need more than {@link #BUSYBOX_APPLETS}; goes on top of {@link #busyboxLayer()}.
     */
    public ImageBuilder appletLayer(String... applets) {
        TarBuilder tar = new TarBuilder().directory("bin", 0755);
        for (String applet : applets) {
            tar.symlink("bin/" + applet, "busybox");
        }
        return tarLayer(tar.toByteArray());
    }

    /**
     * A layer with {@code /bin/busybox} and symlinks to it for {@link #BUSYBOX_APPLETS}. Skips the
     * calling test when busybox is not installed.
     */
    public ImageBuilder busyboxLayer() {
        assumeTrue(Files.isReadable(BUSYBOX), "busybox not installed: apt-get install busybox-static");
        byte[] busybox;
        try {
            busybox = Files.readAllBytes(BUSYBOX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TarBuilder tar = new TarBuilder().directory("bin", 0755).file("bin/busybox", 0755, busybox);
        BUSYBOX_APPLETS.forEach(applet -> tar.symlink("bin/" + applet, "busybox"));
        return tarLayer(tar.toByteArray());
    }

    /** A layer holding one regular file (mode 0644) at an absolute path, with its parent directories. */
    public ImageBuilder fileLayer(String absolutePath, String content) {
        if (!absolutePath.startsWith("/") || absolutePath.endsWith("/")) {
            throw new IllegalArgumentException("a file path is absolute and names a file: " + absolutePath);
        }
        String name = absolutePath.substring(1);
        TarBuilder tar = new TarBuilder();
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
            tar.directory(name.substring(0, slash), 0755);
        }
        tar.file(name, 0644, content.getBytes(StandardCharsets.UTF_8));
        return tarLayer(tar.toByteArray());
    }

    /**
     * A layer holding one file {@code /random/<seed>.bin} of {@code size} random bytes: the same
     * seed gives the same layer, and gzip cannot shrink it, so the blob is about {@code size} bytes.
     */
    public ImageBuilder randomLayer(int size, long seed) {
        byte[] data = new byte[size];
        new SplittableRandom(seed).nextBytes(data);
        return tarLayer(new TarBuilder().directory("random", 0755).file("random/" + seed + ".bin", 0644, data).toByteArray());
    }

    /** A layer from an uncompressed tar the test wrote itself. */
    public ImageBuilder tarLayer(byte[] tar) {
        layerTars.add(tar);
        return this;
    }

    /** The image for linux/amd64. */
    public TestImage build() {
        return build(TestImage.Platform.parse("linux/amd64"), layers());
    }

    /** An index with one image per platform (for example {@code linux/amd64}, {@code linux/arm64/v8}), all on the same layers. */
    public TestIndex buildIndex(String... platforms) {
        List<TestImage.Layer> layers = layers();
        List<TestImage> images = new ArrayList<>();
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String text : platforms) {
            TestImage.Platform platform = TestImage.Platform.parse(text);
            TestImage image = build(platform, layers);
            images.add(image);
            Map<String, Object> entry = image.manifest().descriptor();
            entry.put("platform", platformJson(platform));
            entries.add(entry);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", format.indexType);
        index.put("manifests", entries);
        return new TestIndex(format, Blob.of(format.indexType, json(index)), images);
    }

    private TestImage build(TestImage.Platform platform, List<TestImage.Layer> layers) {
        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("Env", List.of(DEFAULT_PATH));
        runConfig.put("Cmd", cmd);
        runConfig.putAll(runConfigFields);
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", layers.stream().map(TestImage.Layer::diffId).toList());
        Map<String, Object> config = platformJson(platform);
        config.put("config", runConfig);
        config.put("rootfs", rootfs);
        Blob configBlob = Blob.of(format.configType, json(config));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", format.manifestType);
        manifest.put("config", configBlob.descriptor());
        manifest.put("layers", layers.stream().map(layer -> layer.blob().descriptor()).toList());
        return new TestImage(format, platform, Blob.of(format.manifestType, json(manifest)), configBlob, layers);
    }

    private List<TestImage.Layer> layers() {
        return layerTars.stream()
                .map(tar -> new TestImage.Layer(
                        gzip ? Blob.of(format.gzipLayerType, gzip(tar)) : Blob.of(format.layerType, tar),
                        Blob.sha256(tar)))
                .toList();
    }

    private static Map<String, Object> platformJson(TestImage.Platform platform) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architecture", platform.architecture());
        json.put("os", platform.os());
        if (platform.variant() != null) {
            json.put("variant", platform.variant());
        }
        return json;
    }

    /** Fastest deflate: the random layers of size tests are large and would not shrink anyway. */
    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(data.length / 2 + 64);
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory", e);
        }
        return compressed.toByteArray();
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON: " + value, e);
        }
    }
}
