package io.hawser.kernel.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.sun.jna.Library;
import com.sun.jna.Native;

import io.hawser.content.Digest;

/** Layers built with GNU tar, commands run as the test's root, and trees described entry by entry. */
final class LayerFixtures {

    /** The xattr calls the tests read trees with; the applier only writes attributes. */
    interface XattrReads extends Library {
        XattrReads INSTANCE = Native.load("c", XattrReads.class);

        long llistxattr(String path, byte[] list, long size);

        long lgetxattr(String path, String name, byte[] value, long size);
    }

    /**
     * One entry of a tree as the comparison sees it.
     *
     * @param type    f, d, l, c, b or p
     * @param content the SHA-256 of a regular file, the target of a symbolic link, the device
     *                number of a device, empty otherwise
     */
    record Node(char type, String mode, int uid, int gid, long size, String content, Map<String, String> xattrs, FileTime modified) {}

    private LayerFixtures() {}

    /** Skips a test that needs root, saying so. */
    static void assumeRoot() throws IOException {
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            System.out.println("skipping layer apply test: it needs root to set owners and make devices");
        }
        assumeTrue(root, "layer apply tests need root to set owners and make devices");
    }

    static String run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed: " + output);
        return output;
    }

    /** A POSIX tar of a directory's contents with owners, xattrs and nanosecond times, as GNU tar writes it. */
    static byte[] gnuTar(Path source) throws IOException, InterruptedException {
        Path archive = Files.createTempFile(source.getParent(), "layer", ".tar");
        run(source, "tar", "--format=posix", "--xattrs", "--xattrs-include=*", "--numeric-owner", "--sort=name",
                "-cf", archive.toString(), ".");
        byte[] tar = Files.readAllBytes(archive);
        Files.delete(archive);
        return tar;
    }

    static Digest sha256(byte[] data) {
        return Digest.sha256(data);
    }

    static ByteArrayInputStream stream(byte[] data) {
        return new ByteArrayInputStream(data);
    }

    /** Every entry under a root, by path relative to it; the root itself is "." . */
    static Map<String, Node> describe(Path root) throws IOException {
        Map<String, Node> nodes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = root.relativize(path).toString();
                nodes.put(relative.isEmpty() ? "." : relative, node(path));
            }
        }
        return nodes;
    }

    static Node node(Path path) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        char type = switch (mode & 0170000) {
            case 0100000 -> 'f';
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            default -> '?';
        };
        String content = switch (type) {
            case 'f' -> sha256(Files.readAllBytes(path)).toString();
            case 'l' -> Files.readSymbolicLink(path).toString();
            case 'c', 'b' -> Long.toString((Long) unix.get("rdev"));
            default -> "";
        };
        long size = type == 'f' ? (Long) unix.get("size") : 0;
        return new Node(type, Integer.toOctalString(mode & 07777), (Integer) unix.get("uid"), (Integer) unix.get("gid"), size,
                content, xattrs(path), (FileTime) unix.get("lastModifiedTime"));
    }

    /** Extended attributes by name, values in hex. */
    static Map<String, String> xattrs(Path path) {
        Map<String, String> xattrs = new TreeMap<>();
        byte[] names = new byte[65536];
        long length = XattrReads.INSTANCE.llistxattr(path.toString(), names, names.length);
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (names[i] == 0) {
                String name = new String(names, start, i - start, StandardCharsets.UTF_8);
                byte[] value = new byte[65536];
                long valueLength = XattrReads.INSTANCE.lgetxattr(path.toString(), name, value, value.length);
                xattrs.put(name, valueLength < 0 ? "?" : HexFormat.of().formatHex(value, 0, (int) valueLength));
                start = i + 1;
            }
        }
        return xattrs;
    }

    /** The differences between two described trees, one line each; empty when they agree. */
    static List<String> differences(Map<String, Node> expected, Map<String, Node> actual) {
        List<String> differences = new ArrayList<>();
        for (String path : expected.keySet()) {
            if (!actual.containsKey(path)) {
                differences.add("missing " + path + ": " + expected.get(path));
            } else if (!expected.get(path).equals(actual.get(path))) {
                differences.add(path + ": expected " + expected.get(path) + " but was " + actual.get(path));
            }
        }
        for (String path : actual.keySet()) {
            if (!expected.containsKey(path)) {
                differences.add("unexpected " + path + ": " + actual.get(path));
            }
        }
        return differences;
    }
}
