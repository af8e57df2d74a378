package io.hawser.kernel.internal.mount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hawser.snapshots.Mount;

/**
 * A {@link Mount} translated into the arguments of mount(2), the way mount(8) splits its
 * {@code -o} list: flag words become bits, everything else is the filesystem's data string.
 *
 * @param type             the filesystem type as mount(2) takes it
 * @param source           the source as mount(2) takes it
 * @param flags            the {@code MS_*} bits of the first call
 * @param data             the comma-joined options that are not flag words, or null when none
 * @param remountReadOnly  whether a second call must make the bind mount read-only, since the
 *                         kernel ignores {@code MS_RDONLY} when it creates a bind mount
 * @param propagation      the propagation bits ({@code MS_PRIVATE}, {@code MS_SHARED}, … with
 *                         {@code MS_REC}) for a last call, or 0; mount(2) refuses them mixed with
 *                         other flags
 */
record MountCall(String type, String source, long flags, String data, boolean remountReadOnly, long propagation) {

    static final long MS_RDONLY = 1;
    static final long MS_NOSUID = 2;
    static final long MS_NODEV = 4;
    static final long MS_NOEXEC = 8;
    static final long MS_SYNCHRONOUS = 16;
    static final long MS_REMOUNT = 32;
    static final long MS_DIRSYNC = 128;
    static final long MS_NOATIME = 1024;
    static final long MS_NODIRATIME = 2048;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;
    static final long MS_UNBINDABLE = 1 << 17;
    static final long MS_PRIVATE = 1 << 18;
    static final long MS_SLAVE = 1 << 19;
    static final long MS_SHARED = 1 << 20;
    static final long MS_RELATIME = 1 << 21;
    static final long MS_STRICTATIME = 1 << 24;

    /** What a flag word does: bits it sets and bits it clears. */
    private record Flag(long set, long clear) {}

    private static final Map<String, Flag> FLAGS = Map.ofEntries(
            Map.entry("defaults", new Flag(0, 0)),
            Map.entry("ro", new Flag(MS_RDONLY, 0)),
            Map.entry("rw", new Flag(0, MS_RDONLY)),
            Map.entry("nosuid", new Flag(MS_NOSUID, 0)),
            Map.entry("suid", new Flag(0, MS_NOSUID)),
            Map.entry("nodev", new Flag(MS_NODEV, 0)),
            Map.entry("dev", new Flag(0, MS_NODEV)),
            Map.entry("noexec", new Flag(MS_NOEXEC, 0)),
            Map.entry("exec", new Flag(0, MS_NOEXEC)),
            Map.entry("sync", new Flag(MS_SYNCHRONOUS, 0)),
            Map.entry("async", new Flag(0, MS_SYNCHRONOUS)),
            Map.entry("dirsync", new Flag(MS_DIRSYNC, 0)),
            Map.entry("remount", new Flag(MS_REMOUNT, 0)),
            Map.entry("noatime", new Flag(MS_NOATIME, 0)),
            Map.entry("atime", new Flag(0, MS_NOATIME)),
            Map.entry("nodiratime", new Flag(MS_NODIRATIME, 0)),
            Map.entry("diratime", new Flag(0, MS_NODIRATIME)),
            Map.entry("relatime", new Flag(MS_RELATIME, 0)),
            Map.entry("norelatime", new Flag(0, MS_RELATIME)),
            Map.entry("strictatime", new Flag(MS_STRICTATIME, 0)),
            Map.entry("nostrictatime", new Flag(0, MS_STRICTATIME)),
            Map.entry("bind", new Flag(MS_BIND, 0)),
            Map.entry("rbind", new Flag(MS_BIND | MS_REC, 0)));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    /**
     * Translates a mount.
     *
     * @throws IOException when the data string is longer than the kernel accepts
     */
    static MountCall of(Mount mount) throws IOException {
        long flags = mount.type().equals("bind") ? MS_BIND : 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String option : mount.options()) {
            Flag flag = FLAGS.get(option);
            Long propagationBits = PROPAGATION.get(option);
            if (flag != null) {
                flags = (flags | flag.set()) & ~flag.clear();
            } else if (propagationBits != null) {
                propagation |= propagationBits;
            } else {
                data.add(option);
            }
        }
        String joined = data.isEmpty() ? null : String.join(",", data);
        int dataBytes = joined == null ? 0 : joined.getBytes(StandardCharsets.UTF_8).length;
        if (dataBytes > Mount.MAX_OPTION_BYTES) {
            throw new IOException("cannot mount " + describe(mount) + ": its option string has " + dataBytes + " bytes, more than the "
                    + Mount.MAX_OPTION_BYTES + " the kernel accepts; name the directories relative to a working directory");
        }
        boolean bind = (flags & MS_BIND) != 0;
        boolean remountReadOnly = bind && (flags & MS_RDONLY) != 0 && (flags & MS_REMOUNT) == 0;
        return new MountCall(mount.type(), mount.source(), flags, joined, remountReadOnly, propagation);
    }

    /** The flags of the call that makes a fresh bind mount read-only, keeping its other flags. */
    long readOnlyRemountFlags() {
        return MS_REMOUNT | MS_BIND | MS_RDONLY | (flags & ~(MS_REC | MS_BIND));
    }

    /** A mount as mount(8) would be asked for it, for error messages. */
    static String describe(Mount mount) {
        String description = mount.type() + " " + mount.source()
                + (mount.options().isEmpty() ? "" : " -o " + String.join(",", mount.options()));
        return mount.workingDirectory().isEmpty() ? description : description + " (from " + mount.workingDirectory() + ")";
    }
}
