package io.hawser.kernel.internal.archive;

import static io.hawser.kernel.internal.archive.TarFormat.BLOCK;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import io.hawser.errors.HawserException;

/**
 * Reads a tar stream entry by entry without buffering entry contents: ustar, with the PAX and GNU
 * extensions that carry long names and large sizes, as written by GNU tar, Go's archive/tar (docker,
 * skopeo, umoci) and {@link TarWriter}. It reports every entry with its type and leaves the
 * decision about links and odd types to the caller; it does not interpret names.
 *
 * <p>Archives are untrusted input, so extension headers are bounded in size and every malformed
 * header is an {@code INVALID_ARGUMENT} refusal rather than a guess.
 */
final class TarReader {

    /** The longest PAX or GNU extension header accepted; real ones are a few hundred bytes. */
    private static final int MAX_EXTENSION_HEADER = 1 << 20;

    /** What an entry is. */
    enum Kind { FILE, DIRECTORY, SYMLINK, HARD_LINK, OTHER }

    /**
     * One entry.
     *
     * @param name     the path as written in the archive
     * @param kind     what it is
     * @param typeFlag the raw type flag, for messages about {@link Kind#OTHER} entries
     * @param size     the length of its contents
     */
    record Entry(String name, Kind kind, char typeFlag, long size) {}

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private Entry current;
    private long remaining;
    private boolean ended;

    TarReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Advances to the next entry, skipping what is left of the current one.
     *
     * @return the entry, or {@code null} at the end of the archive
     */
    Entry next() throws IOException {
        if (ended) {
            return null;
        }
        if (current != null) {
            skipFully(remaining + TarFormat.padding(current.size()));
            current = null;
        }
        String longName = null;
        while (true) {
            if (!readHeader()) {
                ended = true;
                return null;
            }
            String name = headerName();
            long size = number(TarFormat.SIZE_OFFSET, TarFormat.SIZE_LENGTH, name);
            byte type = header[TarFormat.TYPE_OFFSET];
            switch (type) {
                case TarFormat.TYPE_PAX -> {
                    Pax pax = parsePax(readExtension(size, name), name);
                    if (pax.path != null) {
                        longName = pax.path;
                    }
                    if (pax.size >= 0) {
                        return entry(longName, readHeaderAfterPax(), pax.size);
                    }
                }
                case TarFormat.TYPE_PAX_GLOBAL -> readExtension(size, name);
                case TarFormat.TYPE_GNU_LONG_NAME -> longName = nulTerminated(readExtension(size, name));
                case TarFormat.TYPE_GNU_LONG_LINK -> readExtension(size, name);
                default -> {
                    return entry(longName == null ? name : longName, type, size);
                }
            }
        }
    }

    /**
     * The contents of the current entry as a stream that ends with it. Closing the stream does
     * not close the archive.
     */
    InputStream content() {
        if (current == null) {
            throw new IllegalStateException("no current entry");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncated();
                }
                remaining -= n;
                return n;
            }
        };
    }

    /**
     * A PAX header that gives the size applies to the entry whose header follows it; read that
     * header now so the size can override its own.
     */
    private byte readHeaderAfterPax() throws IOException {
        if (!readHeader()) {
            throw HawserException.invalidArgument("archive ends after a PAX header with no entry");
        }
        return header[TarFormat.TYPE_OFFSET];
    }

    private Entry entry(String paxName, byte type, long size) {
        String name = paxName != null ? paxName : headerName();
        Kind kind = switch (type) {
            case TarFormat.TYPE_FILE, TarFormat.TYPE_FILE_OLD -> fileOrDirectoryByName(name);
            case TarFormat.TYPE_DIRECTORY -> Kind.DIRECTORY;
            case TarFormat.TYPE_SYMLINK -> Kind.SYMLINK;
            case TarFormat.TYPE_HARD_LINK -> Kind.HARD_LINK;
            default -> Kind.OTHER;
        };
        // links and directories carry no contents whatever their size field says
        long contentSize = kind == Kind.FILE || kind == Kind.OTHER ? size : 0;
        current = new Entry(name, kind, (char) type, contentSize);
        remaining = contentSize;
        return current;
    }

    /** Old tars mark directories as regular files whose name ends with a slash. */
    private static Kind fileOrDirectoryByName(String name) {
        return name.endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
    }

    private String headerName() {
        String name = field(TarFormat.NAME_OFFSET, TarFormat.NAME_LENGTH);
        if (isPosixUstar()) {
            String prefix = field(TarFormat.PREFIX_OFFSET, TarFormat.PREFIX_LENGTH);
            return prefix.isEmpty() ? name : prefix + "/" + name;
        }
        return name;
    }

    /** A NUL-padded text field of the header. */
    private String field(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    /** Reads a header block; false at the end-of-archive marker or a clean end of stream. */
    private boolean readHeader() throws IOException {
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw truncated();
        }
        if (isZeroBlock()) {
            return false;
        }
        long stored;
        try {
            stored = number(TarFormat.CHECKSUM_OFFSET, TarFormat.CHECKSUM_LENGTH, "header");
        } catch (HawserException e) {
            stored = -1;
        }
        if (stored != TarFormat.checksum(header)) {
            throw HawserException.invalidArgument("archive is not a valid tar: bad header checksum after "
                    + (current == null ? "the start" : "entry " + current.name()));
        }
        return true;
    }

    private boolean isZeroBlock() {
        for (byte b : header) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The POSIX magic; the GNU format writes other data where ustar keeps the name prefix. */
    private boolean isPosixUstar() {
        return Arrays.equals(header, TarFormat.MAGIC_OFFSET, TarFormat.MAGIC_OFFSET + 6, TarFormat.USTAR_MAGIC, 0, 6);
    }

    /** A numeric field: octal text, or base-256 when the high bit of its first byte is set. */
    private long number(int offset, int length, String entry) throws HawserException {
        if ((header[offset] & 0x80) != 0) {
            if ((header[offset] & 0x40) != 0 || length > 9 && nonZero(offset + 1, length - 9)) {
                throw HawserException.invalidArgument("tar entry " + entry + " has an out-of-range number");
            }
            long value = 0;
            for (int i = Math.max(offset + 1, offset + length - 8); i < offset + length; i++) {
                value = value << 8 | header[i] & 0xff;
            }
            if (value < 0) {
                throw HawserException.invalidArgument("tar entry " + entry + " has an out-of-range number");
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
            int digit = header[i] - '0';
            if (digit < 0 || digit > 7) {
                throw HawserException.invalidArgument("tar entry " + entry + " has a malformed numeric field");
            }
            value = value << 3 | digit;
        }
        return value;
    }

    private boolean nonZero(int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (header[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private byte[] readExtension(long size, String name) throws IOException {
        if (size > MAX_EXTENSION_HEADER) {
            throw HawserException.invalidArgument("tar extension header " + name + " is " + size
                    + " bytes, more than the " + MAX_EXTENSION_HEADER + " accepted");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw truncated();
        }
        skipFully(TarFormat.padding(size));
        return data;
    }

    private record Pax(String path, long size) {}

    /** PAX records are {@code "<length> <key>=<value>\n"}; only path and size matter here. */
    private static Pax parsePax(byte[] data, String name) throws HawserException {
        String path = null;
        long size = -1;
        int pos = 0;
        while (pos < data.length) {
            int space = indexOf(data, (byte) ' ', pos);
            int length;
            try {
                length = space < 0 ? -1 : Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= space - pos + 1 || pos + length > data.length || data[pos + length - 1] != '\n') {
                throw HawserException.invalidArgument("tar PAX header " + name + " is malformed at byte " + pos);
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int equals = record.indexOf('=');
            if (equals < 0) {
                throw HawserException.invalidArgument("tar PAX header " + name + " has a record without '='");
            }
            String key = record.substring(0, equals);
            String value = record.substring(equals + 1);
            if (key.equals("path")) {
                path = value;
            } else if (key.equals("size")) {
                try {
                    size = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    size = -2;
                }
                if (size < 0) {
                    throw HawserException.invalidArgument("tar PAX header " + name + " has a malformed size: " + value);
                }
            }
            pos += length;
        }
        return new Pax(path, size);
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String nulTerminated(byte[] data) {
        int end = indexOf(data, (byte) 0, 0);
        return new String(data, 0, end < 0 ? data.length : end, StandardCharsets.UTF_8);
    }

    private void skipFully(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw truncated();
                }
                skipped = 1;
            }
            left -= skipped;
        }
        remaining = 0;
    }

    private HawserException truncated() {
        return HawserException.invalidArgument("archive is truncated"
                + (current == null ? "" : " inside entry " + current.name()));
    }
}
