package io.hawser.snapshots;

/** The kind of a snapshot; the package documentation explains what each may do. */
public enum Kind {
    /** Writable; can be mounted and committed, never a parent. */
    ACTIVE,
    /** Read-only look at a committed snapshot; can be mounted, never committed. */
    VIEW,
    /** Frozen; the only kind that can be a parent, and it cannot be mounted directly. */
    COMMITTED
}
