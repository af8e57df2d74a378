package io.hawser.itest.registry;

import java.nio.file.Files;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Builds the image {@code bench/unpack} measures and pushes it to a registry: many small files
 * spread over shared directories, a few big ones, symbolic links, and a last layer of deletions,
 * so that unpacking does the per-file work real images need and not only bulk writes.
 *
 * <ul>
 * <li>layer 1: busybox and its applet links;
 * <li>layers 2 to {@code FILE_LAYERS + 1}: {@code FILES_PER_LAYER} files each under
 *     {@code usr/share/bench/dNN/} (the same {@value #DIRECTORIES} directories in every layer, so
 *     upper layers write into directories lower ones made), of 1 to 64 KiB spread evenly on a log
 *     scale, plus {@value #BIG_FILES} files of {@value #BIG_FILE_MIB} MiB under {@code opt/bench/lK/}
 *     and {@value #LINKS} symbolic links to small files;
 * <li>the last layer: an opaque {@code usr/share/bench/d07} with a few new files, whiteouts of
 *     every 7th small file of the first file layer (those not in {@code d07}), rewritten (smaller)
 *     copies of every 11th small file of the third, and a whiteout of the second's whole
 *     {@code opt/bench/l2} directory.
 * </ul>
 *
 * File contents are seeded random bytes, so gzip cannot shrink them and the blobs are about as big
 * as the files; the same seed gives the same image, digests included.
 *
 * <p>Prints one line for the script: {@code MANIFEST_DIGEST LAYERS TOTAL_BYTES FILES FILE_BYTES},
 * where the first three are as {@link PushBenchImage} prints them and the last two count the
 * regular files of the unpacked image (after the deletions) and their bytes.
 */
public final class PushUnpackBenchImage {

    private static final int DIRECTORIES = 50;
    private static final int BIG_FILES = 2;
    private static final int BIG_FILE_MIB = 4;
    private static final int LINKS = 20;
    private static final int MIN_SMALL = 1024;
    private static final int MAX_SMALL = 64 * 1024;

    /** Regular files of the unpacked image by path, with their sizes: what the script checks the unpacked trees against. */
    private final Map<String, Long> expected = new TreeMap<>();
    private final SplittableRandom random;

    private PushUnpackBenchImage(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: PushUnpackBenchImage REGISTRY_HOST:PORT REPOSITORY TAG FILE_LAYERS FILES_PER_LAYER SEED");
            System.exit(2);
        }
        int fileLayers = Integer.parseInt(args[3]);
        int filesPerLayer = Integer.parseInt(args[4]);
        if (fileLayers < 3) {
            throw new IllegalArgumentException("the deletions layer needs at least 3 file layers below it, not " + fileLayers);
        }
        PushUnpackBenchImage tree = new PushUnpackBenchImage(Long.parseLong(args[5]));
        ImageBuilder builder = ImageBuilder.oci().busyboxLayer();
        tree.expected.put("bin/busybox", Files.size(ImageBuilder.BUSYBOX));
        for (int layer = 1; layer <= fileLayers; layer++) {
            builder.tarLayer(tree.fileLayer(layer, filesPerLayer));
        }
        builder.tarLayer(tree.deletionsLayer(filesPerLayer));
        long fileBytes = tree.expected.values().stream().mapToLong(Long::longValue).sum();
        System.out.println(PushBenchImage.push(args[0], args[1], args[2], builder.build()) + " " + tree.expected.size() + " " + fileBytes);
    }

    private static String directory(int index) {
        return "usr/share/bench/d%02d".formatted(index % DIRECTORIES);
    }

    private static String smallFile(int layer, int index) {
        return directory(index) + "/l%d-f%05d.dat".formatted(layer, index);
    }

    private byte[] fileLayer(int layer, int files) {
        TarBuilder tar = new TarBuilder().directory("usr", 0755).directory("usr/share", 0755).directory("usr/share/bench", 0755);
        for (int d = 0; d < Math.min(files, DIRECTORIES); d++) {
            tar.directory(directory(d), 0755);
        }
        for (int i = 0; i < files; i++) {
            // log-uniform: as many files of 1-2 KiB as of 32-64 KiB, as in real trees
            int size = (int) Math.round(MIN_SMALL * Math.pow((double) MAX_SMALL / MIN_SMALL, random.nextDouble()));
            file(tar, smallFile(layer, i), i % 10 == 0 ? 0755 : 0644, size);
        }
        String bigDirectory = "opt/bench/l" + layer;
        tar.directory("opt", 0755).directory("opt/bench", 0755).directory(bigDirectory, 0755);
        for (int i = 0; i < BIG_FILES; i++) {
            file(tar, bigDirectory + "/big-" + i + ".bin", 0644, BIG_FILE_MIB << 20);
        }
        String links = "usr/share/bench/links-l" + layer;
        tar.directory(links, 0755);
        for (int i = 0; i < Math.min(LINKS, files); i++) {
            tar.symlink(links + "/link-" + i, "../" + smallFile(layer, i).substring("usr/share/bench/".length()));
        }
        return tar.toByteArray();
    }

    private byte[] deletionsLayer(int filesPerLayer) {
        TarBuilder tar = new TarBuilder().directory("usr", 0755).directory("usr/share", 0755).directory("usr/share/bench", 0755);
        // the opaque marker first, as image builders write it; its directory's new files follow
        String opaque = directory(7);
        tar.directory(opaque, 0755).file(opaque + "/.wh..wh..opq", 0644, new byte[0]);
        expected.keySet().removeIf(path -> path.startsWith(opaque + "/"));
        for (int i = 0; i < 20; i++) {
            file(tar, opaque + "/opaque-" + i + ".dat", 0644, MIN_SMALL * (i + 1));
        }
        for (int i = 0; i < filesPerLayer; i += 7) {
            String victim = smallFile(1, i);
            if (expected.remove(victim) != null) {
                int slash = victim.lastIndexOf('/');
                tar.file(victim.substring(0, slash + 1) + ".wh." + victim.substring(slash + 1), 0644, new byte[0]);
            }
        }
        for (int i = 0; i < filesPerLayer; i += 11) {
            String rewritten = smallFile(3, i);
            if (expected.containsKey(rewritten)) {
                file(tar, rewritten, 0600, MIN_SMALL);
            }
        }
        tar.directory("opt", 0755).directory("opt/bench", 0755).file("opt/bench/.wh.l2", 0644, new byte[0]);
        expected.keySet().removeIf(path -> path.startsWith("opt/bench/l2/"));
        return tar.toByteArray();
    }

    private void file(TarBuilder tar, String path, int mode, int size) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        tar.file(path, mode, content);
        expected.put(path, (long) size);
    }
}
