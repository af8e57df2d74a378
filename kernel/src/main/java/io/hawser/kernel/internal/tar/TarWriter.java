package io.hawser.kernel.internal.tar;

import static io.hawser.kernel.internal.tar.TarFormat.BLOCK;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a POSIX ustar stream with fixed metadata so identical content gives identical bytes:
 * modification time 0, owner and group 0 without names, mode 0644 for files and 0755 for
 * directories. A name too long for the ustar fields, or a size beyond 8 GiB, gets a PAX header,
 * which every tar Hawser's archives are read by understands.
 *
 * <p>It does not check names: its callers write only names they built.
 */
public final class TarWriter {

    /** The largest size the 11 octal digits of the ustar size field hold. */
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes a directory entry; the name gets a trailing slash if it has none. */
    public void directory(String name) throws IOException {
        entry(name.endsWith("/") ? name : name + "/", TarFormat.TYPE_DIRECTORY, "", 0);
    }

    /** Writes a file entry with the given contents. */
    public void file(String name, byte[] data) throws IOException {
        entry(name, TarFormat.TYPE_FILE, "", data.length);
        out.write(data);
        pad(data.length);
    }

    /**
     * Writes a file entry whose contents are the next {@code size} bytes of a stream.
     *
     * @throws java.io.EOFException when the stream ends early, which leaves the archive broken
     */
    public void file(String name, long size, InputStream content) throws IOException {
        entry(name, TarFormat.TYPE_FILE, "", size);
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("content of " + name + " ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        pad(size);
    }

    /**
     * Writes the header of any entry type; the caller writes {@code size} content bytes and the
     * padding. Visible to tests, which build the hostile archives the importer must refuse.
     */
    public void entry(String name, byte type, String linkName, long size) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int split = prefixSplit(nameBytes);
        boolean paxPath = nameBytes.length > TarFormat.NAME_LENGTH && split < 0;
        boolean paxSize = size > MAX_USTAR_SIZE;
        if (paxPath || paxSize) {
            StringBuilder records = new StringBuilder();
            if (paxPath) {
                records.append(paxRecord("path", name));
            }
            if (paxSize) {
                records.append(paxRecord("size", Long.toString(size)));
            }
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            String paxName = "PaxHeaders/" + lastComponent(name);
            out.write(header(truncate(paxName.getBytes(StandardCharsets.UTF_8)), new byte[0], TarFormat.TYPE_PAX, "", pax.length));
            out.write(pax);
            pad(pax.length);
        }
        byte[] prefix = new byte[0];
        byte[] shortName = nameBytes;
        if (paxPath) {
            shortName = truncate(nameBytes);
        } else if (split >= 0) {
            prefix = Arrays.copyOfRange(nameBytes, 0, split);
            shortName = Arrays.copyOfRange(nameBytes, split + 1, nameBytes.length);
        }
        out.write(header(shortName, prefix, type, linkName, paxSize ? 0 : size));
    }

    /** Ends the archive with the two zero blocks tar readers expect. Does not close the stream. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    private void pad(long size) throws IOException {
        out.write(new byte[TarFormat.padding(size)]);
    }

    private static byte[] header(byte[] name, byte[] prefix, byte type, String linkName, long size) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, TarFormat.NAME_OFFSET, name.length);
        octal(h, TarFormat.MODE_OFFSET, TarFormat.MODE_LENGTH, type == TarFormat.TYPE_DIRECTORY ? 0755 : 0644);
        octal(h, TarFormat.UID_OFFSET, TarFormat.ID_LENGTH, 0);
        octal(h, TarFormat.GID_OFFSET, TarFormat.ID_LENGTH, 0);
        octal(h, TarFormat.SIZE_OFFSET, TarFormat.SIZE_LENGTH, size);
        octal(h, TarFormat.MTIME_OFFSET, TarFormat.SIZE_LENGTH, 0);
        h[TarFormat.TYPE_OFFSET] = type;
        byte[] link = truncate(linkName.getBytes(StandardCharsets.UTF_8));
        System.arraycopy(link, 0, h, TarFormat.LINK_OFFSET, link.length);
        System.arraycopy(TarFormat.USTAR_MAGIC, 0, h, TarFormat.MAGIC_OFFSET, TarFormat.USTAR_MAGIC.length);
        System.arraycopy(TarFormat.USTAR_VERSION, 0, h, TarFormat.VERSION_OFFSET, TarFormat.USTAR_VERSION.length);
        System.arraycopy(prefix, 0, h, TarFormat.PREFIX_OFFSET, prefix.length);
        octal(h, TarFormat.CHECKSUM_OFFSET, TarFormat.CHECKSUM_LENGTH - 1, TarFormat.checksum(h));
        return h;
    }

    /** Writes a zero-padded octal number followed by a NUL in a field of {@code length} bytes. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, h, offset, length - 1);
        h[offset + length - 1] = 0;
    }

    /**
     * Where to split a long name into ustar prefix and name at a slash, or -1 when it fits the
     * name field or cannot be split.
     */
    private static int prefixSplit(byte[] name) {
        if (name.length <= TarFormat.NAME_LENGTH) {
            return -1;
        }
        for (int i = Math.min(name.length - 2, TarFormat.PREFIX_LENGTH); i > 0; i--) {
            if (name[i] == '/' && name.length - i - 1 <= TarFormat.NAME_LENGTH) {
                return i;
            }
        }
        return -1;
    }

    /** A PAX record; its length field counts itself, so the digits are settled by iteration. */
    private static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length = body + Integer.toString(length).length();
        }
        return length + " " + key + "=" + value + "\n";
    }

    private static String lastComponent(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static byte[] truncate(byte[] bytes) {
        return bytes.length <= TarFormat.NAME_LENGTH ? bytes : Arrays.copyOf(bytes, TarFormat.NAME_LENGTH);
    }
}
