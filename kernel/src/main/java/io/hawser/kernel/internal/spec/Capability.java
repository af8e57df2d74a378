package io.hawser.kernel.internal.spec;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.hawser.errors.HawserException;

/**
 * The Linux capabilities, declared in the order of their numbers in the kernel, so that
 * {@link #ordinal()} is the bit that stands for the capability in {@code /proc/<pid>/status}.
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /** What a container gets unless asked otherwise: containerd's default set. */
    public static final Set<Capability> CONTAINERD_DEFAULTS = Set.copyOf(EnumSet.of(CHOWN, DAC_OVERRIDE, FSETID, FOWNER,
            MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE));

    /** The name the runtime specification uses, {@code CAP_CHOWN}. */
    public String specName() {
        return "CAP_" + name();
    }

    /**
     * Parses a capability as users write it: with or without {@code CAP_}, in any case.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the capability when it is unknown
     */
    public static Capability parse(String name) throws HawserException {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("CAP_") ? upper.substring(4) : upper;
        try {
            return valueOf(bare);
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument("unknown capability '" + name + "'");
        }
    }

    /**
     * The capabilities whose bits are set in a mask as {@code /proc/<pid>/status} shows it
     * ({@code CapEff: 000001ffffffffff}); bits beyond the last capability known here are ignored,
     * since a newer kernel may know more.
     */
    public static Set<Capability> fromMask(long mask) {
        EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
        for (Capability capability : values()) {
            if ((mask & (1L << capability.ordinal())) != 0) {
                set.add(capability);
            }
        }
        return set;
    }
}
