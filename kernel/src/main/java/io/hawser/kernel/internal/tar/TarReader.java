package io.hawser.kernel.internal.tar;

import static io.hawser.kernel.internal.tar.TarFormat.BLOCK;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.hawser.errors.HawserException;

/**
 * Reads a tar stream entry by entry without buffering entry contents: ustar, with the PAX and GNU
 * extensions that carry long names, long link targets, large sizes, sub-second times, owners and
 * extended attributes, as written by GNU tar, Go's archive/tar (docker, buildkit, skopeo, umoci) and
 * {@link TarWriter}. It reports every entry with its type and metadata and leaves the decision about
 * links and odd types to the caller; it does not interpret names.
 *
 * <p>Archives and layers are untrusted input, so extension headers are bounded in size and every
 * malformed header is an {@code INVALID_ARGUMENT} refusal rather than a guess.
 */
public final class TarReader {

    /** The longest PAX or GNU extension header accepted; real ones are a few hundred bytes. */
    static final int MAX_EXTENSION_HEADER = 1 << 20;

    /** PAX keys of extended attributes: the Schily (star, GNU tar, Go) form and the libarchive one. */
    private static final String SCHILY_XATTR = "SCHILY.xattr.";
    private static final String LIBARCHIVE_XATTR = "LIBARCHIVE.xattr.";
    /** PAX keys GNU tar writes for its sparse formats, whose contents are a map and not the file. */
    private static final String GNU_SPARSE = "GNU.sparse.";
    /** A PAX time: decimal seconds with an optional fraction; anything longer is not a real time. */
    private static final Pattern PAX_TIME = Pattern.compile("-?[0-9]{1,18}(\\.[0-9]{1,30})?");

    /** What an entry is. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, HARD_LINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, OTHER }

    /**
     * One entry.
     *
     * @param name        the path as written in the archive
     * @param kind        what it is
     * @param typeFlag    the raw type flag, for messages about {@link Kind#OTHER} entries
     * @param size        the length of its contents
     * @param linkName    the target of a symbolic link, or the archive path a hard link names; empty
     *                    for other kinds
     * @param mode        the permission bits with setuid, setgid and sticky ({@code 07777})
     * @param uid         the owner's numeric id
     * @param gid         the group's numeric id
     * @param userName    the owner's name, empty when not recorded
     * @param groupName   the group's name, empty when not recorded
     * @param modified    the modification time, to the nanosecond when a PAX header gives it
     * @param deviceMajor the major number of a device entry
     * @param deviceMinor the minor number of a device entry
     * @param xattrs      extended attributes by name, in archive order
     */
    public record Entry(String name, Kind kind, char typeFlag, long size, String linkName, int mode, long uid, long gid,
                        String userName, String groupName, Instant modified, long deviceMajor, long deviceMinor,
                        Map<String, byte[]> xattrs) {}

    /** What PAX and GNU extension headers said about the entry whose header follows them. */
    private static final class Extensions {
        private String path;
        private String linkPath;
        private long size = -1;
        private long uid = -1;
        private long gid = -1;
        private String userName;
        private String groupName;
        private Instant modified;
        private boolean sparse;
        private final Map<String, byte[]> xattrs = new LinkedHashMap<>();
    }

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private Entry current;
    private long remaining;
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = Objects.requireNonNull(in, "in");
    }

    /**
     * Advances to the next entry, skipping what is left of the current one.
     *
     * @return the entry, or {@code null} at the end of the archive
     */
    public Entry next() throws IOException {
        if (ended) {
            return null;
        }
        if (current != null) {
            skipFully(remaining + TarFormat.padding(current.size()));
            current = null;
        }
        Extensions extensions = new Extensions();
        while (true) {
            if (!readHeader()) {
                if (extensions.path != null || extensions.size >= 0) {
                    throw HawserException.invalidArgument("archive ends after an extension header with no entry");
                }
                ended = true;
                return null;
            }
            String name = headerName();
            long size = number(TarFormat.SIZE_OFFSET, TarFormat.SIZE_LENGTH, name);
            byte type = header[TarFormat.TYPE_OFFSET];
            switch (type) {
                case TarFormat.TYPE_PAX -> parsePax(readExtension(size, name), name, extensions);
                case TarFormat.TYPE_PAX_GLOBAL -> readExtension(size, name);
                case TarFormat.TYPE_GNU_LONG_NAME -> extensions.path = nulTerminated(readExtension(size, name));
                case TarFormat.TYPE_GNU_LONG_LINK -> extensions.linkPath = nulTerminated(readExtension(size, name));
                default -> {
                    return entry(type, size, extensions);
                }
            }
        }
    }

    /**
     * The contents of the current entry as a stream that ends with it. Closing the stream does
     * not close the archive.
     */
    public InputStream content() {
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

    private Entry entry(byte type, long headerSize, Extensions extensions) throws HawserException {
        String name = extensions.path != null ? extensions.path : headerName();
        if (extensions.sparse) {
            throw HawserException.invalidArgument("tar entry " + name
                    + " is a GNU sparse file, whose stored data is not its contents; layers and archives do not use them");
        }
        Kind kind = switch (type) {
            case TarFormat.TYPE_FILE, TarFormat.TYPE_FILE_OLD, TarFormat.TYPE_CONTIGUOUS -> fileOrDirectoryByName(name);
            case TarFormat.TYPE_DIRECTORY -> Kind.DIRECTORY;
            case TarFormat.TYPE_SYMLINK -> Kind.SYMLINK;
            case TarFormat.TYPE_HARD_LINK -> Kind.HARD_LINK;
            case TarFormat.TYPE_CHAR_DEVICE -> Kind.CHAR_DEVICE;
            case TarFormat.TYPE_BLOCK_DEVICE -> Kind.BLOCK_DEVICE;
            case TarFormat.TYPE_FIFO -> Kind.FIFO;
            default -> Kind.OTHER;
        };
        long size = extensions.size >= 0 ? extensions.size : headerSize;
        // links, directories, devices and FIFOs carry no contents whatever their size field says
        long contentSize = kind == Kind.FILE || kind == Kind.OTHER ? size : 0;
        boolean link = kind == Kind.SYMLINK || kind == Kind.HARD_LINK;
        String linkName = !link ? "" : extensions.linkPath != null ? extensions.linkPath
                : field(TarFormat.LINK_OFFSET, TarFormat.LINK_LENGTH);
        boolean device = kind == Kind.CHAR_DEVICE || kind == Kind.BLOCK_DEVICE;
        current = new Entry(name, kind, (char) type, contentSize, linkName,
                (int) (number(TarFormat.MODE_OFFSET, TarFormat.MODE_LENGTH, name) & 07777),
                extensions.uid >= 0 ? extensions.uid : number(TarFormat.UID_OFFSET, TarFormat.ID_LENGTH, name),
                extensions.gid >= 0 ? extensions.gid : number(TarFormat.GID_OFFSET, TarFormat.ID_LENGTH, name),
                extensions.userName != null ? extensions.userName : field(TarFormat.USER_NAME_OFFSET, TarFormat.OWNER_NAME_LENGTH),
                extensions.groupName != null ? extensions.groupName : field(TarFormat.GROUP_NAME_OFFSET, TarFormat.OWNER_NAME_LENGTH),
                extensions.modified != null ? extensions.modified
                        : Instant.ofEpochSecond(number(TarFormat.MTIME_OFFSET, TarFormat.MTIME_LENGTH, name)),
                device ? number(TarFormat.DEVICE_MAJOR_OFFSET, TarFormat.DEVICE_LENGTH, name) : 0,
                device ? number(TarFormat.DEVICE_MINOR_OFFSET, TarFormat.DEVICE_LENGTH, name) : 0,
                Collections.unmodifiableMap(extensions.xattrs));
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

    /**
     * PAX records are {@code "<length> <key>=<value>\n"}. Values are UTF-8 text except those of
     * extended attributes, which are raw bytes.
     */
    private static void parsePax(byte[] data, String name, Extensions extensions) throws HawserException {
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
            int equals = indexOf(data, (byte) '=', space + 1);
            if (equals < 0 || equals >= pos + length - 1) {
                throw HawserException.invalidArgument("tar PAX header " + name + " has a record without '='");
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, equals + 1, pos + length - 1);
            paxRecord(key, value, name, extensions);
            pos += length;
        }
    }

    private static void paxRecord(String key, byte[] value, String name, Extensions extensions) throws HawserException {
        String text = new String(value, StandardCharsets.UTF_8);
        switch (key) {
            case "path" -> extensions.path = text;
            case "linkpath" -> extensions.linkPath = text;
            case "size" -> extensions.size = paxNumber(key, text, name);
            case "uid" -> extensions.uid = paxNumber(key, text, name);
            case "gid" -> extensions.gid = paxNumber(key, text, name);
            case "uname" -> extensions.userName = text;
            case "gname" -> extensions.groupName = text;
            case "mtime" -> extensions.modified = paxTime(text, name);
            default -> {
                if (key.startsWith(SCHILY_XATTR)) {
                    extensions.xattrs.put(key.substring(SCHILY_XATTR.length()), value);
                } else if (key.startsWith(LIBARCHIVE_XATTR)) {
                    // libarchive percent-encodes the name and base64-encodes the value
                    try {
                        extensions.xattrs.put(URLDecoder.decode(key.substring(LIBARCHIVE_XATTR.length()), StandardCharsets.UTF_8),
                                Base64.getDecoder().decode(text));
                    } catch (IllegalArgumentException e) {
                        throw HawserException.invalidArgument("tar PAX header " + name + " has a malformed " + key);
                    }
                } else if (key.startsWith(GNU_SPARSE)) {
                    extensions.sparse = true;
                }
            }
        }
    }

    private static long paxNumber(String key, String value, String name) throws HawserException {
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 0) {
            throw HawserException.invalidArgument("tar PAX header " + name + " has a malformed " + key + ": " + value);
        }
        return number;
    }

    private static Instant paxTime(String value, String name) throws HawserException {
        if (!PAX_TIME.matcher(value).matches()) {
            throw HawserException.invalidArgument("tar PAX header " + name + " has a malformed mtime: " + value);
        }
        BigDecimal seconds = new BigDecimal(value);
        BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
        int nanos = seconds.subtract(whole).movePointRight(9).setScale(0, RoundingMode.FLOOR).intValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
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
