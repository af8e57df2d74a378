package io.hawser.kernel.internal.tar;

import java.nio.charset.StandardCharsets;

/**
 * Facts about the tar header block shared by {@link TarReader} and {@link TarWriter}: the ustar
 * field offsets and the type flags Hawser meets in image archives and layers.
 */
public final class TarFormat {

    static final int BLOCK = 512;

    static final int NAME_OFFSET = 0;
    static final int NAME_LENGTH = 100;
    static final int MODE_OFFSET = 100;
    static final int UID_OFFSET = 108;
    static final int GID_OFFSET = 116;
    static final int ID_LENGTH = 8;
    static final int MODE_LENGTH = 8;
    static final int SIZE_OFFSET = 124;
    static final int SIZE_LENGTH = 12;
    static final int MTIME_OFFSET = 136;
    static final int MTIME_LENGTH = 12;
    static final int CHECKSUM_OFFSET = 148;
    static final int CHECKSUM_LENGTH = 8;
    static final int TYPE_OFFSET = 156;
    static final int LINK_OFFSET = 157;
    static final int LINK_LENGTH = 100;
    static final int MAGIC_OFFSET = 257;
    static final int VERSION_OFFSET = 263;
    static final int USER_NAME_OFFSET = 265;
    static final int GROUP_NAME_OFFSET = 297;
    static final int OWNER_NAME_LENGTH = 32;
    static final int DEVICE_MAJOR_OFFSET = 329;
    static final int DEVICE_MINOR_OFFSET = 337;
    static final int DEVICE_LENGTH = 8;
    static final int PREFIX_OFFSET = 345;
    static final int PREFIX_LENGTH = 155;

    public static final byte TYPE_FILE = '0';
    /** Pre-POSIX tars mark regular files with a NUL type. */
    public static final byte TYPE_FILE_OLD = 0;
    public static final byte TYPE_HARD_LINK = '1';
    public static final byte TYPE_SYMLINK = '2';
    public static final byte TYPE_CHAR_DEVICE = '3';
    public static final byte TYPE_BLOCK_DEVICE = '4';
    public static final byte TYPE_DIRECTORY = '5';
    public static final byte TYPE_FIFO = '6';
    /** A "contiguous file", which every reader treats as a regular file. */
    public static final byte TYPE_CONTIGUOUS = '7';
    /** PAX extended header for the next entry. */
    public static final byte TYPE_PAX = 'x';
    /** PAX global header, applying to all following entries. */
    public static final byte TYPE_PAX_GLOBAL = 'g';
    /** GNU long name for the next entry. */
    public static final byte TYPE_GNU_LONG_NAME = 'L';
    /** GNU long link target for the next entry. */
    public static final byte TYPE_GNU_LONG_LINK = 'K';
    /** GNU old-style sparse file, whose header claims a size its data does not have. */
    public static final byte TYPE_GNU_SPARSE = 'S';

    static final byte[] USTAR_MAGIC = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] USTAR_VERSION = "00".getBytes(StandardCharsets.US_ASCII);

    private TarFormat() {}

    /** The header checksum: the byte sum with the checksum field counted as blanks. */
    static long checksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean inField = i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + CHECKSUM_LENGTH;
            sum += inField ? ' ' : header[i] & 0xff;
        }
        return sum;
    }

    /** Bytes of padding after {@code size} content bytes to reach the next block. */
    static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }
}
