package io.hawser.kernel.internal.archive;

import java.nio.charset.StandardCharsets;

/**
 * Facts about the tar header block shared by {@link TarReader} and {@link TarWriter}: the ustar
 * field offsets and the type flags Hawser meets in image archives.
 */
final class TarFormat {

    static final int BLOCK = 512;

    static final int NAME_OFFSET = 0;
    static final int NAME_LENGTH = 100;
    static final int MODE_OFFSET = 100;
    static final int UID_OFFSET = 108;
    static final int GID_OFFSET = 116;
    static final int ID_LENGTH = 8;
    static final int SIZE_OFFSET = 124;
    static final int SIZE_LENGTH = 12;
    static final int MTIME_OFFSET = 136;
    static final int CHECKSUM_OFFSET = 148;
    static final int CHECKSUM_LENGTH = 8;
    static final int TYPE_OFFSET = 156;
    static final int LINK_OFFSET = 157;
    static final int MAGIC_OFFSET = 257;
    static final int VERSION_OFFSET = 263;
    static final int PREFIX_OFFSET = 345;
    static final int PREFIX_LENGTH = 155;

    static final byte TYPE_FILE = '0';
    /** Pre-POSIX tars mark regular files with a NUL type. */
    static final byte TYPE_FILE_OLD = 0;
    static final byte TYPE_HARD_LINK = '1';
    static final byte TYPE_SYMLINK = '2';
    static final byte TYPE_DIRECTORY = '5';
    /** PAX extended header for the next entry. */
    static final byte TYPE_PAX = 'x';
    /** PAX global header, applying to all following entries. */
    static final byte TYPE_PAX_GLOBAL = 'g';
    /** GNU long name for the next entry. */
    static final byte TYPE_GNU_LONG_NAME = 'L';
    /** GNU long link target for the next entry. */
    static final byte TYPE_GNU_LONG_LINK = 'K';

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
