package io.hawser.itest.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a small ustar archive in memory: directories, regular files, symbolic and hard links with
 * the modes a test gives, owner root, modification time 0. Names must fit the 100-byte name field;
 * the kernel's archive writer is package-private and writes no symlinks or executable files,
 * which image layers need.
 */
public final class TarBuilder {

    private static final int BLOCK = 512;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TarBuilder directory(String name, int mode) {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
        return this;
    }

    public TarBuilder file(String name, int mode, byte[] content) {
        header(name, mode, content.length, '0', "");
        out.writeBytes(content);
        padToBlock(content.length);
        return this;
    }

    public TarBuilder symlink(String name, String target) {
        header(name, 0777, 0, '2', target);
        return this;
    }

    /** A hard link {@code name} to {@code target}, an entry earlier in the same archive (a path without leading slash). */
    public TarBuilder hardLink(String name, String target) {
        header(name, 0755, 0, '1', target);
        return this;
    }

    /** The archive with its two closing zero blocks. */
    public byte[] toByteArray() {
        ByteArrayOutputStream finished = new ByteArrayOutputStream(out.size() + 2 * BLOCK);
        finished.writeBytes(out.toByteArray());
        finished.writeBytes(new byte[2 * BLOCK]);
        return finished.toByteArray();
    }

    private void header(String name, int mode, long size, char type, String linkName) {
        byte[] block = new byte[BLOCK];
        put(block, 0, 100, name);
        putOctal(block, 100, 8, mode);
        putOctal(block, 108, 8, 0);
        putOctal(block, 116, 8, 0);
        putOctal(block, 124, 12, size);
        putOctal(block, 136, 12, 0);
        block[156] = (byte) type;
        put(block, 157, 100, linkName);
        put(block, 257, 6, "ustar");
        put(block, 263, 2, "00");
        put(block, 265, 32, "root");
        put(block, 297, 32, "root");
        // the checksum is computed with its own field read as eight spaces
        put(block, 148, 8, "        ");
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        putOctal(block, 148, 7, sum);
        out.writeBytes(block);
    }

    private void padToBlock(long size) {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.writeBytes(new byte[BLOCK - rest]);
        }
    }

    private static void put(byte[] block, int offset, int length, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("'" + text + "' is longer than the " + length + " bytes of its ustar field");
        }
        System.arraycopy(bytes, 0, block, offset, bytes.length);
    }

    /** A zero-padded octal number ending in NUL, filling {@code length} bytes. */
    private static void putOctal(byte[] block, int offset, int length, long value) {
        String octal = Long.toOctalString(value);
        if (octal.length() > length - 1) {
            throw new IllegalArgumentException(value + " does not fit an octal field of " + length + " bytes");
        }
        put(block, offset, length - 1, "0".repeat(length - 1 - octal.length()) + octal);
    }
}
