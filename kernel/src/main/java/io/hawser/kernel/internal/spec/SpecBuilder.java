package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.ImageUsers.ResolvedUser;
import io.hawser.kernel.internal.spec.RuntimeSpec.Capabilities;
import io.hawser.kernel.internal.spec.RuntimeSpec.Cpu;
import io.hawser.kernel.internal.spec.RuntimeSpec.Device;
import io.hawser.kernel.internal.spec.RuntimeSpec.DeviceRule;
import io.hawser.kernel.internal.spec.RuntimeSpec.HugepageLimit;
import io.hawser.kernel.internal.spec.RuntimeSpec.Linux;
import io.hawser.kernel.internal.spec.RuntimeSpec.Memory;
import io.hawser.kernel.internal.spec.RuntimeSpec.Mount;
import io.hawser.kernel.internal.spec.RuntimeSpec.Namespace;
import io.hawser.kernel.internal.spec.RuntimeSpec.Pids;
import io.hawser.kernel.internal.spec.RuntimeSpec.Resources;
import io.hawser.kernel.internal.spec.RuntimeSpec.Rlimit;
import io.hawser.kernel.internal.spec.RuntimeSpec.Root;
import io.hawser.kernel.internal.spec.RuntimeSpec.Seccomp;
import io.hawser.kernel.internal.spec.RuntimeSpec.User;
import io.hawser.runtime.Ids;

/**
 * Builds the runtime spec of a container from its image's configuration and what the request asks
 * for, with the defaults containerd gives a container, so that images behave under Hawser as they
 * do under containerd, docker or nerdctl. Setters only record the request; {@link #build()} checks
 * it and refuses with a message naming the part that is wrong.
 */
public final class SpecBuilder {

    /** The search path of a container whose image sets none, the one docker and containerd use. */
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** containerd's open files limit; many programs size tables by it, so higher is not better. */
    static final long DEFAULT_NOFILE = 1024;

    /** The bundle's directory the runtime finds the root filesystem in. */
    public static final String ROOT_PATH = "rootfs";

    /** Where the cgroups of containers go unless the caller says otherwise (a CRI pod does). */
    static final String CGROUP_PARENT = "/hawser/";

    static final List<String> NAMESPACES = List.of("pid", "ipc", "uts", "mount", "network");

    /**
     * Files of /proc and /sys that tell about or act on the host, hidden from unprivileged
     * containers. The powercap entry hides the energy counters that leak what other processes
     * compute (CVE-2020-8694).
     */
    static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");

    /** Kernel settings visible but not writable from unprivileged containers. */
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    // RFC 1123 host names, within the kernel's 64 bytes for the UTS name
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,63})");
    private static final int MAX_HOSTNAME = 64;

    private final String containerId;
    private final ImageConfig image;
    private final ImageUsers.Resolver users;
    private final HostFacts host;

    private List<String> command = List.of();
    private final List<String> extraEnv = new ArrayList<>();
    private String workdir;
    private String user;
    private String hostname;
    private boolean terminal;
    private boolean readOnlyRootfs;
    private Long memoryLimitBytes;
    private CpuLimit cpus;
    private Long cpuShares;
    private Long pidsLimit;
    private int oomScoreAdj;
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private boolean privileged;
    private boolean noNewPrivileges;
    private String cgroupsPath;
    private final List<Mount> extraMounts = new ArrayList<>();
    private SeccompChoice seccomp = new SeccompChoice.RuntimeDefault();
    private final Map<String, String> joinedNamespaces = new HashMap<>();
    private final Set<String> hostNamespaces = new HashSet<>();
    private final List<Long> supplementalGroups = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private final List<DeviceRule> deviceRules = new ArrayList<>();
    private List<String> maskedPaths = MASKED_PATHS;
    private List<String> readonlyPaths = READONLY_PATHS;
    private io.hawser.runtime.Resources limits = io.hawser.runtime.Resources.NONE;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private String rootfsPropagation;

    /**
     * @param containerId the container's id (an {@link Ids} id); the default
     *                    host name and cgroup path are made from it
     * @param image       the image's configuration
     * @param users       resolves the user through the image's files ({@link ImageUsers#in} a mounted root filesystem)
     * @param host        what the daemon's process may pass on
     */
    public SpecBuilder(String containerId, ImageConfig image, ImageUsers.Resolver users, HostFacts host) {
        this.containerId = Ids.check(containerId, "container id");
        this.image = Objects.requireNonNull(image, "image");
        this.users = Objects.requireNonNull(users, "users");
        this.host = Objects.requireNonNull(host, "host");
    }

    /** Replaces the image's {@code Cmd} (the entrypoint stays); empty keeps the image's. */
    public SpecBuilder command(List<String> command) {
        this.command = List.copyOf(command);
        return this;
    }

    /** Adds {@code KEY=VALUE} entries; they replace the image's of the same key. */
    public SpecBuilder env(List<String> entries) {
        extraEnv.addAll(entries);
        return this;
    }

    /** The working directory instead of the image's. */
    public SpecBuilder workdir(String workdir) {
        this.workdir = workdir;
        return this;
    }

    /** The user instead of the image's, as {@link ImageUsers#resolve} takes it. */
    public SpecBuilder user(String user) {
        this.user = user;
        return this;
    }

    /** The host name instead of one made from the container id. */
    public SpecBuilder hostname(String hostname) {
        this.hostname = hostname;
        return this;
    }

    /** Whether the process gets a terminal. */
    public SpecBuilder terminal(boolean terminal) {
        this.terminal = terminal;
        return this;
    }

    /** Whether the root filesystem is mounted read-only. */
    public SpecBuilder readOnlyRootfs(boolean readOnlyRootfs) {
        this.readOnlyRootfs = readOnlyRootfs;
        return this;
    }

    /** The memory limit in bytes ({@link MemorySize#parseBytes} reads it from the command line). */
    public SpecBuilder memoryLimitBytes(long bytes) {
        this.memoryLimitBytes = bytes;
        return this;
    }

    /** The CPU bandwidth limit ({@link CpuLimit#ofCpus} reads it from {@code --cpus}). */
    public SpecBuilder cpus(CpuLimit cpus) {
        this.cpus = cpus;
        return this;
    }

    /** The relative CPU weight, in cgroup v1 shares. */
    public SpecBuilder cpuShares(long shares) {
        this.cpuShares = shares;
        return this;
    }

    /** The most processes the container may have at once. */
    public SpecBuilder pidsLimit(long limit) {
        this.pidsLimit = limit;
        return this;
    }

    /** The OOM killer's bias; raised to the daemon's own when lower, since the kernel refuses it. */
    public SpecBuilder oomScoreAdj(int oomScoreAdj) {
        this.oomScoreAdj = oomScoreAdj;
        return this;
    }

    /** Capabilities to add, with or without {@code CAP_}, or {@code ALL}. */
    public SpecBuilder capAdd(List<String> capabilities) {
        capAdd.addAll(capabilities);
        return this;
    }

    /** Capabilities to drop, with or without {@code CAP_}, or {@code ALL}. */
    public SpecBuilder capDrop(List<String> capabilities) {
        capDrop.addAll(capabilities);
        return this;
    }

    /**
     * Whether the container is privileged: every capability the daemon holds, nothing of /proc
     * masked or read-only, /sys writable, every device allowed, no seccomp filter.
     */
    public SpecBuilder privileged(boolean privileged) {
        this.privileged = privileged;
        return this;
    }

    /** Whether exec may not gain privileges through setuid binaries or file capabilities. */
    public SpecBuilder noNewPrivileges(boolean noNewPrivileges) {
        this.noNewPrivileges = noNewPrivileges;
        return this;
    }

    /** The cgroup path instead of {@value #CGROUP_PARENT}{@code <id>}; its form depends on the cgroup driver. */
    public SpecBuilder cgroupsPath(String cgroupsPath) {
        this.cgroupsPath = cgroupsPath;
        return this;
    }

    /** A mount after the default ones, such as the container's {@code /etc/hosts} or {@code /etc/resolv.conf}. */
    public SpecBuilder mount(Mount mount) {
        extraMounts.add(Objects.requireNonNull(mount, "mount"));
        return this;
    }

    /** Joins the namespace of a type ({@code network}, {@code ipc}, {@code uts}, {@code pid}) a file stands for. */
    public SpecBuilder joinNamespace(String type, String path) {
        checkNamespaceType(type);
        joinedNamespaces.put(type, Objects.requireNonNull(path, "path"));
        hostNamespaces.remove(type);
        return this;
    }

    /** Shares the daemon's namespace of a type instead of creating one. */
    public SpecBuilder hostNamespace(String type) {
        checkNamespaceType(type);
        hostNamespaces.add(type);
        joinedNamespaces.remove(type);
        return this;
    }

    private static void checkNamespaceType(String type) {
        // the mount namespace is always the container's own: its root filesystem lives in it
        if (!NAMESPACES.contains(type) || type.equals("mount")) {
            throw new IllegalArgumentException("namespace type '" + type + "' cannot be shared or joined");
        }
    }

    /** Group ids the process belongs to besides the user's groups in the image. */
    public SpecBuilder supplementalGroups(List<Long> groups) {
        supplementalGroups.addAll(groups);
        return this;
    }

    /** A device node to create in the container, and the access its cgroup allows to it ({@code rwm}). */
    public SpecBuilder device(Device device, String access) {
        devices.add(Objects.requireNonNull(device, "device"));
        deviceRules.add(new DeviceRule(true, device.type(), device.major(), device.minor(), access));
        return this;
    }

    /** Replaces the paths hidden from the container; empty hides none. */
    public SpecBuilder maskedPaths(List<String> paths) {
        this.maskedPaths = List.copyOf(paths);
        return this;
    }

    /** Replaces the paths the container sees read-only; empty leaves all writable. */
    public SpecBuilder readonlyPaths(List<String> paths) {
        this.readonlyPaths = List.copyOf(paths);
        return this;
    }

    /**
     * Limits beyond memory, CPUs and pids; those it sets override {@link #memoryLimitBytes},
     * {@link #cpus}, {@link #cpuShares} and {@link #pidsLimit}.
     */
    public SpecBuilder resources(io.hawser.runtime.Resources resources) {
        this.limits = Objects.requireNonNull(resources, "resources");
        return this;
    }

    public SpecBuilder annotations(Map<String, String> annotations) {
        this.annotations.putAll(annotations);
        return this;
    }

    /** Namespaced kernel settings the runtime writes in the container's namespaces. */
    public SpecBuilder sysctls(Map<String, String> sysctls) {
        this.sysctls.putAll(sysctls);
        return this;
    }

    /** The propagation of the container's root mount ({@code rslave}, {@code rshared}), which bind mounts that propagate need. */
    public SpecBuilder rootfsPropagation(String propagation) {
        this.rootfsPropagation = propagation;
        return this;
    }

    /** The seccomp filter of an unprivileged container; the runtime default unless set. */
    public SpecBuilder seccomp(SeccompChoice seccomp) {
        this.seccomp = Objects.requireNonNull(seccomp, "seccomp");
        return this;
    }

    /**
     * The spec.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming what is wrong: no command, a relative
     *                         working directory or mount destination, a malformed environment entry
     *                         or host name, an unknown capability, user or group, a limit out of
     *                         range; {@code FAILED_PRECONDITION} when a capability to add is one the
     *                         daemon does not hold itself
     * @throws IOException     when the image's passwd or group file cannot be read
     */
    public RuntimeSpec build() throws IOException {
        ResolvedUser resolved = users.resolve(user != null ? user : image.user());
        Set<Capability> capabilitySet = capabilities();
        List<String> capabilities = capabilitySet.stream().map(Capability::specName).toList();
        long nofile = Math.min(DEFAULT_NOFILE, host.nofileHardLimit());
        List<Long> groups = new ArrayList<>(resolved.additionalGids());
        supplementalGroups.stream().filter(gid -> !groups.contains(gid)).forEach(groups::add);
        RuntimeSpec.Process process = new RuntimeSpec.Process(terminal,
                new User(resolved.uid(), resolved.gid(), null, groups.isEmpty() ? null : groups),
                args(), env(resolved), cwd(),
                new Capabilities(capabilities, capabilities, capabilities, null, null),
                List.of(new Rlimit("RLIMIT_NOFILE", nofile, nofile)),
                noNewPrivileges, clampedOomScoreAdj());
        List<Namespace> namespaces = NAMESPACES.stream()
                .filter(type -> !hostNamespaces.contains(type))
                .map(type -> new Namespace(type, joinedNamespaces.get(type)))
                .toList();
        Linux linux = new Linux(namespaces, null, null, resources(),
                cgroupsPath != null ? cgroupsPath : CGROUP_PARENT + containerId,
                privileged || maskedPaths.isEmpty() ? null : maskedPaths,
                privileged || readonlyPaths.isEmpty() ? null : readonlyPaths,
                devices.isEmpty() ? null : List.copyOf(devices),
                privileged ? null : seccompFilter(capabilitySet),
                sysctls.isEmpty() ? null : Map.copyOf(sysctls),
                rootfsPropagation);
        return new RuntimeSpec(RuntimeSpec.OCI_VERSION, process, new Root(ROOT_PATH, readOnlyRootfs), hostname(), mounts(),
                annotations.isEmpty() ? null : Map.copyOf(annotations), linux);
    }

    /** The filter follows the final capabilities, so a capability added also allows the system calls it governs. */
    private Seccomp seccompFilter(Set<Capability> capabilities) {
        return switch (seccomp) {
            case SeccompChoice.RuntimeDefault _ -> SeccompProfiles.runtimeDefault(capabilities);
            case SeccompChoice.Unconfined _ -> null;
            case SeccompChoice.Localhost localhost -> localhost.profile().forCapabilities(capabilities);
        };
    }

    private List<String> args() throws HawserException {
        List<String> args = new ArrayList<>();
        if (image.entrypoint() != null) {
            args.addAll(image.entrypoint());
        }
        if (!command.isEmpty()) {
            args.addAll(command);
        } else if (image.cmd() != null) {
            args.addAll(image.cmd());
        }
        if (args.isEmpty()) {
            throw HawserException.invalidArgument("no command: the image sets no Entrypoint or Cmd and the request gives none");
        }
        return args;
    }

    /**
     * The image's variables, then the request's replacing those of the same name, then PATH and
     * HOME when neither set them, since shells and many programs fail without them.
     */
    private List<String> env(ResolvedUser resolved) throws HawserException {
        Map<String, String> byKey = new LinkedHashMap<>();
        if (image.env() != null) {
            for (String entry : image.env()) {
                byKey.put(key(entry, "image environment"), entry);
            }
        }
        for (String entry : extraEnv) {
            byKey.put(key(entry, "environment"), entry);
        }
        byKey.putIfAbsent("PATH", DEFAULT_PATH);
        byKey.putIfAbsent("HOME", "HOME=" + resolved.home());
        return List.copyOf(byKey.values());
    }

    private static String key(String entry, String where) throws HawserException {
        int equals = entry.indexOf('=');
        // execve takes NUL-terminated strings, so a NUL would silently cut the entry short
        if (equals <= 0 || entry.indexOf('\0') >= 0) {
            throw HawserException.invalidArgument(where + " entry '" + entry + "' must be KEY=VALUE");
        }
        return entry.substring(0, equals);
    }

    private String cwd() throws HawserException {
        String cwd = workdir != null ? workdir : image.workingDir();
        if (cwd == null || cwd.isEmpty()) {
            return "/";
        }
        if (!cwd.startsWith("/")) {
            throw HawserException.invalidArgument("working directory '" + cwd + "' must be an absolute path");
        }
        return cwd;
    }

    private String hostname() throws HawserException {
        if (hostNamespaces.contains("uts")) {
            // the host's name is not the container's to set
            return null;
        }
        if (hostname == null) {
            // container ids may hold '_', which host names may not
            String fromId = containerId.replace('_', '-');
            return fromId.substring(0, Math.min(fromId.length(), MAX_HOSTNAME));
        }
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw HawserException.invalidArgument("host name '" + hostname
                    + "' is invalid: use up to 64 letters, digits, '.' or '-', starting with a letter or digit");
        }
        return hostname;
    }

    private Integer clampedOomScoreAdj() throws HawserException {
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw HawserException.invalidArgument("oom_score_adj " + oomScoreAdj + " is outside -1000..1000");
        }
        return Math.max(oomScoreAdj, host.oomScoreAdj());
    }

    /**
     * The capability set, in the order docker applies the flags: privileged or adding ALL starts
     * from everything the daemon holds, otherwise from the defaults; dropping comes next (ALL
     * empties the set) and adding last, so {@code --cap-drop ALL --cap-add NET_BIND_SERVICE} leaves
     * exactly one.
     */
    private Set<Capability> capabilities() throws HawserException {
        Set<Capability> held = host.capabilities();
        EnumSet<Capability> set = EnumSet.noneOf(Capability.class);
        if (privileged || containsAll(capAdd)) {
            set.addAll(held);
        } else {
            // a default the daemon lacks (it runs with fewer) is left out rather than failing every container
            Capability.CONTAINERD_DEFAULTS.stream().filter(held::contains).forEach(set::add);
        }
        if (containsAll(capDrop)) {
            set.clear();
        } else {
            for (String name : capDrop) {
                set.remove(Capability.parse(name));
            }
        }
        for (String name : capAdd) {
            if (name.equalsIgnoreCase("ALL")) {
                continue;
            }
            Capability capability = Capability.parse(name);
            if (!held.contains(capability)) {
                throw HawserException.failedPrecondition("cannot add " + capability.specName()
                        + ": the daemon does not hold it, so no container it starts can");
            }
            set.add(capability);
        }
        return set;
    }

    private static boolean containsAll(List<String> names) {
        return names.stream().anyMatch(name -> name.equalsIgnoreCase("ALL"));
    }

    private Resources resources() throws HawserException {
        if (memoryLimitBytes != null && memoryLimitBytes <= 0) {
            throw HawserException.invalidArgument("memory limit " + memoryLimitBytes + " must be positive");
        }
        if (pidsLimit != null && pidsLimit <= 0) {
            throw HawserException.invalidArgument("pids limit " + pidsLimit + " must be positive");
        }
        if (cpuShares != null && (cpuShares < 2 || cpuShares > 262_144)) {
            throw HawserException.invalidArgument("cpu shares " + cpuShares + " is outside 2..262144");
        }
        Long memory = limits.memoryLimitBytes() != null ? limits.memoryLimitBytes() : memoryLimitBytes;
        Long shares = limits.cpuShares() != null ? limits.cpuShares() : cpuShares;
        Long quota = limits.cpuQuotaMicros() != null ? limits.cpuQuotaMicros() : cpus == null ? null : cpus.quotaMicros();
        Long period = limits.cpuPeriodMicros() != null ? limits.cpuPeriodMicros() : cpus == null ? null : cpus.periodMicros();
        Long pids = limits.pidsLimit() != null ? limits.pidsLimit() : pidsLimit;
        // deny every device first; the runtime then allows the ones it creates in every container
        List<DeviceRule> rules = new ArrayList<>();
        rules.add(new DeviceRule(privileged, null, null, null, "rwm"));
        rules.addAll(deviceRules);
        Cpu cpu = shares == null && quota == null && period == null && limits.cpusetCpus() == null && limits.cpusetMems() == null
                ? null : new Cpu(shares, quota, period, limits.cpusetCpus(), limits.cpusetMems());
        return new Resources(rules,
                memory == null && limits.memorySwapBytes() == null ? null : new Memory(memory, limits.memorySwapBytes()),
                cpu,
                pids == null ? null : new Pids(pids),
                limits.hugepageLimitBytes().isEmpty() ? null : limits.hugepageLimitBytes().entrySet().stream()
                        .map(limit -> new HugepageLimit(limit.getKey(), limit.getValue())).toList(),
                limits.unified().isEmpty() ? null : limits.unified());
    }

    private List<Mount> mounts() throws HawserException {
        // a privileged container may write /sys, for example to load firmware or tune devices
        String sysAccess = privileged ? "rw" : "ro";
        List<Mount> mounts = new ArrayList<>(List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysAccess)),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", sysAccess))));
        for (Mount mount : extraMounts) {
            if (mount.destination() == null || !mount.destination().startsWith("/")) {
                throw HawserException.invalidArgument("mount destination '" + mount.destination() + "' must be an absolute path");
            }
            mounts.add(mount);
        }
        return mounts;
    }
}
