package io.hawser.snapshots;

/**
 * Disk used by a snapshot of its own, not counting its parents.
 *
 * @param size   bytes used
 * @param inodes inodes used
 */
public record Usage(long size, long inodes) {

    /** Nothing used. */
    public static final Usage ZERO = new Usage(0, 0);

    public Usage {
        if (size < 0 || inodes < 0) {
            throw new IllegalArgumentException("usage must not be negative: size " + size + ", inodes " + inodes);
        }
    }

    /** The sum of two usages, for the total of a snapshot chain. */
    public Usage plus(Usage other) {
        return new Usage(Math.addExact(size, other.size), Math.addExact(inodes, other.inodes));
    }
}
