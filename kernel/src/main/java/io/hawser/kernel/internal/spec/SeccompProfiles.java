package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.RuntimeSpec.Seccomp;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallArg;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallRule;
import io.hawser.kernel.internal.spec.SeccompProfile.Rule;

/**
 * The seccomp profiles a container can get: the runtime default, which has the semantics of
 * containerd's and docker's default profile, and profiles read from files in the OCI or docker
 * format. An unconfined container has no profile at all.
 */
public final class SeccompProfiles {

    private static final String ALLOW = "SCMP_ACT_ALLOW";
    private static final String ERRNO = "SCMP_ACT_ERRNO";
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;

    /** The actions of the OCI runtime specification but {@code SCMP_ACT_NOTIFY}, which needs a seccomp agent. */
    private static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
            "SCMP_ACT_TRAP", ERRNO, "SCMP_ACT_TRACE", ALLOW, "SCMP_ACT_LOG");
    private static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final Set<String> ARCHITECTURES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32",
            "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32",
            "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");
    private static final Set<String> FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");

    // the namespace flags of clone(2): CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET
    private static final long CLONE_NAMESPACE_FLAGS = 0x0002_0000L | 0x0200_0000L | 0x0400_0000L | 0x0800_0000L | 0x1000_0000L
            | 0x2000_0000L | 0x4000_0000L;
    private static final long AF_VSOCK = 40;
    // personality(2) personas: PER_LINUX, PER_LINUX32, UNAME26, PER_LINUX32 | UNAME26, and the query 0xffffffff
    private static final List<Long> HARMLESS_PERSONAS = List.of(0x0L, 0x8L, 0x2_0000L, 0x2_0008L, 0xffff_ffffL);

    /*
     * The system calls every container may make, grouped by what they act on. They act on the
     * caller, its own files, memory and children, or on what its namespaces and cgroup confine; the
     * kernel's own permission checks (capabilities, file modes) still apply to each.
     */
    private static final String FILES = """
            access faccessat faccessat2 chdir fchdir getcwd chmod fchmod fchmodat fchmodat2 chown chown32 fchown fchown32
            fchownat lchown lchown32 creat open openat openat2 close close_range name_to_handle_at dup dup2 dup3 fcntl
            fcntl64 flock link linkat symlink symlinkat unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir mknod
            mknodat readlink readlinkat stat stat64 lstat lstat64 fstat fstat64 fstatat64 newfstatat statx statfs statfs64
            fstatfs fstatfs64 getdents getdents64 truncate truncate64 ftruncate ftruncate64 fallocate fadvise64
            fadvise64_64 readahead umask utime utimes utimensat utimensat_time64 futimesat sync syncfs fsync fdatasync
            sync_file_range getxattr lgetxattr fgetxattr getxattrat setxattr lsetxattr fsetxattr setxattrat listxattr
            llistxattr flistxattr listxattrat removexattr lremovexattr fremovexattr removexattrat listmount statmount
            """;
    private static final String IO = """
            read readv pread64 preadv preadv2 write writev pwrite64 pwritev pwritev2 lseek _llseek sendfile sendfile64
            splice tee vmsplice copy_file_range ioctl io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents
            io_pgetevents_time64 poll ppoll ppoll_time64 select _newselect pselect6 pselect6_time64 epoll_create
            epoll_create1 epoll_ctl epoll_ctl_old epoll_wait epoll_wait_old epoll_pwait epoll_pwait2 eventfd eventfd2
            inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_mark signalfd signalfd4 timerfd_create
            timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 pipe pipe2 memfd_create memfd_secret
            """;
    private static final String MEMORY = """
            brk mmap mmap2 munmap mremap mprotect madvise mincore msync mlock mlock2 mlockall munlock munlockall
            remap_file_pages membarrier pkey_alloc pkey_free pkey_mprotect mseal map_shadow_stack cachestat
            """;
    private static final String PROCESSES = """
            fork vfork execve execveat exit exit_group wait4 waitid waitpid getpid getppid gettid getpgid getpgrp setpgid
            getsid setsid set_tid_address set_robust_list get_robust_list futex futex_time64 futex_waitv futex_wait
            futex_wake futex_requeue rseq prctl get_thread_area set_thread_area uname sysinfo getcpu capget capset
            getrlimit setrlimit ugetrlimit prlimit64 getrusage times getpriority setpriority ioprio_get ioprio_set
            sched_getaffinity sched_setaffinity sched_getattr sched_setattr sched_getparam sched_setparam
            sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval
            sched_rr_get_interval_time64 sched_yield getrandom pidfd_open pidfd_send_signal process_mrelease restart_syscall seccomp
            landlock_add_rule landlock_create_ruleset landlock_restrict_self riscv_hwprobe uretprobe
            """;
    private static final String IDENTITIES = """
            getuid getuid32 geteuid geteuid32 getgid getgid32 getegid getegid32 getresuid getresuid32 getresgid
            getresgid32 getgroups getgroups32 setuid setuid32 setgid setgid32 setreuid setreuid32 setregid setregid32
            setresuid setresuid32 setresgid setresgid32 setfsuid setfsuid32 setfsgid setfsgid32 setgroups setgroups32
            """;
    private static final String SIGNALS = """
            kill tkill tgkill rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend
            rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sigaltstack sigprocmask sigreturn pause alarm
            """;
    // adjtimex and clock_adjtime only read the clock unless the caller holds CAP_SYS_TIME
    private static final String TIME = """
            clock_getres clock_getres_time64 clock_gettime clock_gettime64 clock_nanosleep clock_nanosleep_time64
            nanosleep gettimeofday time getitimer setitimer timer_create timer_delete timer_getoverrun timer_gettime
            timer_gettime64 timer_settime timer_settime64 adjtimex clock_adjtime clock_adjtime64
            """;
    private static final String NETWORK = """
            accept accept4 bind connect listen getpeername getsockname getsockopt setsockopt recv recvfrom recvmsg
            recvmmsg recvmmsg_time64 send sendto sendmsg sendmmsg shutdown socketpair socketcall
            """;
    private static final String IPC = """
            ipc msgctl msgget msgrcv msgsnd semctl semget semop semtimedop semtimedop_time64 shmat shmctl shmdt shmget
            mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend mq_timedsend_time64
            mq_unlink
            """;
    /*
     * Reading and writing other processes' memory: before Linux 4.8 ptrace could bypass seccomp, so
     * docker allows these only from 4.8 on; Hawser needs 5.6 at least (openat2), so always.
     * Ptrace's own checks keep a process to its own user's processes without CAP_SYS_PTRACE.
     */
    private static final String TRACING = "ptrace process_vm_readv process_vm_writev";
    /** x86 only: arch_prctl sets the thread's FS/GS base that libc uses, modify_ldt serves 16-bit code and old threading. */
    private static final String X86 = "arch_prctl modify_ldt";

    /**
     * The system calls only a holder of a capability may make: they act on the whole machine
     * (clock, modules, reboot, kernel log) or reach past the container's namespaces. The kernel's
     * checks alone have let containers through before (CVE-2022-0185 reached fsconfig from a user
     * namespace that unshare had created without any capability), so the filter is a second wall
     * unless the capability was given on purpose.
     */
    private static final Map<Capability, String> ONLY_WITH = Map.ofEntries(
            Map.entry(Capability.SYS_ADMIN, """
                    bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie lsm_get_self_attr
                    lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount open_tree perf_event_open quotactl
                    quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare"""),
            // open_by_handle_at escaped the container's root by guessing file handles (the "shocker" exploit)
            Map.entry(Capability.DAC_READ_SEARCH, "open_by_handle_at"),
            Map.entry(Capability.SYS_BOOT, "reboot"),
            Map.entry(Capability.SYS_CHROOT, "chroot"),
            Map.entry(Capability.SYS_MODULE, "init_module finit_module delete_module"),
            Map.entry(Capability.SYS_PACCT, "acct"),
            Map.entry(Capability.SYS_PTRACE, "kcmp pidfd_getfd process_madvise"),
            Map.entry(Capability.SYS_RAWIO, "iopl ioperm"),
            Map.entry(Capability.SYS_TIME, "settimeofday stime clock_settime clock_settime64"),
            Map.entry(Capability.SYS_TTY_CONFIG, "vhangup"),
            Map.entry(Capability.SYS_NICE, "get_mempolicy mbind set_mempolicy set_mempolicy_home_node"),
            Map.entry(Capability.SYSLOG, "syslog"),
            Map.entry(Capability.BPF, "bpf"),
            Map.entry(Capability.PERFMON, "perf_event_open"));

    /** The runtime default profile, before the container's capabilities select its rules. */
    private static final SeccompProfile RUNTIME_DEFAULT = buildRuntimeDefault();

    private static final ObjectMapper JSON = new ObjectMapper();

    private SeccompProfiles() {
    }

    /**
     * The runtime default filter of a container holding {@code capabilities}: every system call not
     * allowed fails with EPERM; x86-64, x86 and x32 are covered, so 32-bit programs get the same
     * filter rather than a way around it.
     */
    public static Seccomp runtimeDefault(Set<Capability> capabilities) {
        return RUNTIME_DEFAULT.forCapabilities(capabilities);
    }

    private static SeccompProfile buildRuntimeDefault() {
        List<Rule> rules = new ArrayList<>();
        rules.add(Rule.always(allow(names(FILES, IO, MEMORY, PROCESSES, IDENTITIES, SIGNALS, TIME, NETWORK, IPC, TRACING, X86))));
        // vsock sockets talk to the hypervisor or host, outside every namespace the container has
        rules.add(Rule.always(new SyscallRule(List.of("socket"), ALLOW, null,
                List.of(new SyscallArg(0, AF_VSOCK, 0, "SCMP_CMP_NE")))));
        // other personas change the address space layout or turn on READ_IMPLIES_EXEC, which weakens ASLR and NX
        for (long persona : HARMLESS_PERSONAS) {
            rules.add(Rule.always(new SyscallRule(List.of("personality"), ALLOW, null,
                    List.of(new SyscallArg(0, persona, 0, "SCMP_CMP_EQ")))));
        }
        ONLY_WITH.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(entry -> rules.add(new Rule(allow(names(entry.getValue())), Set.of(entry.getKey()), Set.of())));
        // without CAP_SYS_ADMIN, clone may start threads and processes but not create namespaces
        rules.add(new Rule(new SyscallRule(List.of("clone"), ALLOW, null,
                List.of(new SyscallArg(0, CLONE_NAMESPACE_FLAGS, 0, "SCMP_CMP_MASKED_EQ"))), Set.of(), Set.of(Capability.SYS_ADMIN)));
        // clone3 passes its flags in memory, which a filter cannot read: ENOSYS makes libc fall back to clone
        rules.add(new Rule(new SyscallRule(List.of("clone3"), ERRNO, ENOSYS, null), Set.of(), Set.of(Capability.SYS_ADMIN)));
        return new SeccompProfile(ERRNO, EPERM, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), null, rules);
    }

    private static SyscallRule allow(List<String> names) {
        return new SyscallRule(names, ALLOW, null, null);
    }

    private static List<String> names(String... groups) {
        return Stream.of(groups).flatMap(group -> Arrays.stream(group.strip().split("\\s+"))).toList();
    }

    /**
     * The profile in a file: an OCI {@code linux.seccomp} object, or a profile in docker's format,
     * whose {@code archMap} and the {@code includes} and {@code excludes} of its rules are resolved
     * for this machine's architecture and kernel here and for the container's capabilities later.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the file and what is wrong with it:
     *                         missing, unreadable, not JSON, or an unknown action, operator,
     *                         architecture, flag, capability or field
     */
    public static SeccompProfile localhost(Path file) throws HawserException {
        return localhost(file, Host.current());
    }

    static SeccompProfile localhost(Path file, Host host) throws HawserException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw invalid(file, "does not exist");
        } catch (JsonProcessingException e) {
            throw invalid(file, "is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(file, "cannot be read: " + e.getMessage());
        }
        return new ProfileReader(file, host).profile(root);
    }

    private static HawserException invalid(Path file, String problem) {
        return HawserException.invalidArgument("seccomp profile " + file + " " + problem);
    }

    /**
     * What docker's conditional rules are checked against.
     *
     * @param arch   the architecture as Go names it ({@code amd64}, {@code arm64}), which docker's
     *               {@code arches} use
     * @param kernel the running kernel's version
     */
    record Host(String arch, KernelVersion kernel) {
        // the native seccomp architecture of each Go architecture, for docker's archMap
        private static final Map<String, String> SECCOMP_ARCH = Map.of("amd64", "SCMP_ARCH_X86_64", "arm64", "SCMP_ARCH_AARCH64",
                "386", "SCMP_ARCH_X86", "ppc64le", "SCMP_ARCH_PPC64LE", "s390x", "SCMP_ARCH_S390X", "riscv64", "SCMP_ARCH_RISCV64");

        static Host current() {
            String arch = switch (System.getProperty("os.arch")) {
                case "aarch64" -> "arm64";
                case "x86", "i386" -> "386";
                case String other -> other;
            };
            return new Host(arch, KernelVersion.parse(System.getProperty("os.version")));
        }

        String seccompArch() {
            return SECCOMP_ARCH.get(arch);
        }
    }

    /** A kernel's version, as far as docker's {@code minKernel} compares it. */
    record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
        private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)([.-].*)?");

        /** Parses {@code 6.1} or {@code 6.1.0-18-amd64}. */
        static KernelVersion parse(String text) {
            Matcher matcher = VERSION.matcher(text);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("kernel version '" + text + "' is not MAJOR.MINOR");
            }
            return new KernelVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
        }

        @Override
        public int compareTo(KernelVersion other) {
            return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
        }
    }

    /** Reads one file's profile, naming the file and the place in it in every refusal. */
    private record ProfileReader(Path file, Host host) {
        private static final Set<String> PROFILE_FIELDS = Set.of("defaultAction", "defaultErrnoRet", "architectures", "archMap",
                "flags", "syscalls", "listenerPath", "listenerMetadata");
        private static final Set<String> RULE_FIELDS = Set.of("names", "name", "action", "errnoRet", "args", "comment",
                "includes", "excludes");
        private static final Set<String> ARG_FIELDS = Set.of("index", "value", "valueTwo", "op");
        private static final Set<String> CONDITION_FIELDS = Set.of("caps", "arches", "minKernel");

        SeccompProfile profile(JsonNode root) throws HawserException {
            if (!root.isObject()) {
                throw invalid(file, "is not a JSON object");
            }
            checkFields(root, PROFILE_FIELDS, "");
            if (root.has("listenerPath") || root.has("listenerMetadata")) {
                throw invalid(file, "sets listenerPath: SCMP_ACT_NOTIFY needs a seccomp agent, which Hawser does not run");
            }
            String defaultAction = action(root.get("defaultAction"), "defaultAction");
            Integer defaultErrnoRet = errno(root.get("defaultErrnoRet"), "defaultErrnoRet");
            if (root.has("architectures") && root.has("archMap")) {
                throw invalid(file, "sets both architectures and archMap: use one");
            }
            List<String> architectures = root.has("archMap") ? archMap(root.get("archMap"))
                    : strings(root.get("architectures"), "architectures", ARCHITECTURES, "architecture");
            List<String> flags = strings(root.get("flags"), "flags", FLAGS, "flag");
            List<Rule> rules = new ArrayList<>();
            JsonNode syscalls = root.get("syscalls");
            if (syscalls != null && !syscalls.isNull()) {
                if (!syscalls.isArray()) {
                    throw invalid(file, "syscalls is not an array");
                }
                for (int i = 0; i < syscalls.size(); i++) {
                    rule(syscalls.get(i), "syscalls[" + i + "]", rules);
                }
            }
            return new SeccompProfile(defaultAction, defaultErrnoRet, architectures, flags, rules);
        }

        /** docker's archMap: the native architecture of this machine and its sub-architectures. */
        private List<String> archMap(JsonNode archMap) throws HawserException {
            if (!archMap.isArray()) {
                throw invalid(file, "archMap is not an array");
            }
            List<String> architectures = new ArrayList<>();
            for (int i = 0; i < archMap.size(); i++) {
                String where = "archMap[" + i + "]";
                JsonNode entry = archMap.get(i);
                if (!entry.isObject()) {
                    throw invalid(file, where + " is not an object");
                }
                checkFields(entry, Set.of("architecture", "subArchitectures"), where + ".");
                String architecture = known(text(entry.get("architecture"), where + ".architecture"), ARCHITECTURES,
                        "architecture", where + ".architecture");
                List<String> sub = strings(entry.get("subArchitectures"), where + ".subArchitectures", ARCHITECTURES, "architecture");
                if (architecture.equals(host.seccompArch())) {
                    architectures.add(architecture);
                    if (sub != null) {
                        architectures.addAll(sub);
                    }
                }
            }
            return architectures.isEmpty() ? null : architectures;
        }

        private void rule(JsonNode node, String where, List<Rule> rules) throws HawserException {
            if (!node.isObject()) {
                throw invalid(file, where + " is not an object");
            }
            checkFields(node, RULE_FIELDS, where + ".");
            List<String> names;
            if (node.has("names") && node.has("name")) {
                throw invalid(file, where + " sets both names and name: use names");
            } else if (node.has("name")) {
                names = List.of(text(node.get("name"), where + ".name"));
            } else {
                names = strings(node.get("names"), where + ".names", null, null);
            }
            if (names == null || names.isEmpty()) {
                throw invalid(file, where + " names no system call");
            }
            String action = action(node.get("action"), where + ".action");
            Integer errnoRet = errno(node.get("errnoRet"), where + ".errnoRet");
            List<SyscallArg> args = null;
            JsonNode argsNode = node.get("args");
            if (argsNode != null && !argsNode.isNull()) {
                if (!argsNode.isArray()) {
                    throw invalid(file, where + ".args is not an array");
                }
                args = new ArrayList<>();
                for (int i = 0; i < argsNode.size(); i++) {
                    args.add(arg(argsNode.get(i), where + ".args[" + i + "]"));
                }
            }
            Condition includes = condition(node.get("includes"), where + ".includes");
            Condition excludes = condition(node.get("excludes"), where + ".excludes");
            if (!includes.admits(host) || excludes.rulesOut(host)) {
                return;
            }
            rules.add(new Rule(new SyscallRule(names, action, errnoRet, args), includes.caps(), excludes.caps()));
        }

        private SyscallArg arg(JsonNode node, String where) throws HawserException {
            if (!node.isObject()) {
                throw invalid(file, where + " is not an object");
            }
            checkFields(node, ARG_FIELDS, where + ".");
            JsonNode index = node.get("index");
            if (index == null || !index.canConvertToInt() || !index.isIntegralNumber() || index.intValue() < 0 || index.intValue() > 5) {
                throw invalid(file, where + ".index must be a system call argument's index, 0 to 5");
            }
            String op = known(text(node.get("op"), where + ".op"), OPERATORS, "operator", where + ".op");
            return new SyscallArg(index.intValue(), value(node.get("value"), where + ".value", false),
                    value(node.get("valueTwo"), where + ".valueTwo", true), op);
        }

        /** An unsigned 64-bit value, kept in a long's bits as {@link SyscallArg} does. */
        private long value(JsonNode node, String where, boolean optional) throws HawserException {
            if (node == null || node.isNull()) {
                if (optional) {
                    return 0;
                }
                throw invalid(file, where + " is missing");
            }
            if (!node.isIntegralNumber() || node.bigIntegerValue().signum() < 0 || node.bigIntegerValue().bitLength() > Long.SIZE) {
                throw invalid(file, where + " must be a number from 0 to " + Long.toUnsignedString(-1L) + ", got " + node);
            }
            return node.bigIntegerValue().longValue();
        }

        private Condition condition(JsonNode node, String where) throws HawserException {
            if (node == null || node.isNull()) {
                return Condition.NONE;
            }
            if (!node.isObject()) {
                throw invalid(file, where + " is not an object");
            }
            checkFields(node, CONDITION_FIELDS, where + ".");
            EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
            List<String> capNames = strings(node.get("caps"), where + ".caps", null, null);
            for (String name : capNames == null ? List.<String>of() : capNames) {
                try {
                    caps.add(Capability.parse(name));
                } catch (HawserException e) {
                    throw invalid(file, where + ".caps: " + e.getMessage());
                }
            }
            List<String> arches = strings(node.get("arches"), where + ".arches", null, null);
            KernelVersion minKernel = null;
            if (node.has("minKernel")) {
                String version = text(node.get("minKernel"), where + ".minKernel");
                try {
                    minKernel = KernelVersion.parse(version);
                } catch (IllegalArgumentException e) {
                    throw invalid(file, where + ".minKernel '" + version + "' is not MAJOR.MINOR");
                }
            }
            return new Condition(caps, arches == null ? List.of() : arches, minKernel);
        }

        private String action(JsonNode node, String where) throws HawserException {
            String action = text(node, where);
            if (action.equals("SCMP_ACT_NOTIFY")) {
                throw invalid(file, where + " is SCMP_ACT_NOTIFY, which needs a seccomp agent that Hawser does not run");
            }
            return known(action, ACTIONS, "action", where);
        }

        private Integer errno(JsonNode node, String where) throws HawserException {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw invalid(file, where + " must be an errno number, got " + node);
            }
            return node.intValue();
        }

        private String known(String value, Set<String> known, String kind, String where) throws HawserException {
            if (!known.contains(value)) {
                throw invalid(file, where + ": unknown " + kind + " '" + value + "'");
            }
            return value;
        }

        private String text(JsonNode node, String where) throws HawserException {
            if (node == null || node.isNull()) {
                throw invalid(file, where + " is missing");
            }
            if (!node.isTextual()) {
                throw invalid(file, where + " must be a string, got " + node);
            }
            return node.textValue();
        }

        /** A list of strings, each one of {@code known} unless that is {@code null}; {@code null} when absent. */
        private List<String> strings(JsonNode node, String where, Set<String> known, String kind) throws HawserException {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isArray()) {
                throw invalid(file, where + " is not an array");
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                String value = text(node.get(i), where + "[" + i + "]");
                values.add(known == null ? value : known(value, known, kind, where + "[" + i + "]"));
            }
            return values;
        }

        // an unknown field is refused rather than ignored: a misspelt one would otherwise loosen the filter unnoticed
        private void checkFields(JsonNode node, Set<String> known, String prefix) throws HawserException {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw invalid(file, "has an unknown field " + prefix + name);
                }
            }
        }
    }

    /**
     * One side of a docker rule's condition: capabilities (checked later, against the container),
     * architectures as Go names them and a kernel version (checked here, against the host).
     */
    private record Condition(Set<Capability> caps, List<String> arches, KernelVersion minKernel) {
        static final Condition NONE = new Condition(Set.of(), List.of(), null);

        /** As {@code includes}: every host part given holds. */
        boolean admits(Host host) {
            return (arches.isEmpty() || arches.contains(host.arch())) && (minKernel == null || host.kernel().compareTo(minKernel) >= 0);
        }

        /** As {@code excludes}: any host part given holds. */
        boolean rulesOut(Host host) {
            return arches.contains(host.arch()) || minKernel != null && host.kernel().compareTo(minKernel) >= 0;
        }
    }
}
