package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.RuntimeSpec.Seccomp;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallArg;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallRule;
import io.hawser.kernel.internal.spec.SeccompProfiles.Host;
import io.hawser.kernel.internal.spec.SeccompProfiles.KernelVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompProfilesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Host AMD64_6_1 = new Host("amd64", new KernelVersion(6, 1));

    @TempDir
    Path dir;

    private static Seccomp defaults() {
        return SeccompProfiles.runtimeDefault(Capability.CONTAINERD_DEFAULTS);
    }

    /** The rules naming {@code syscall}. */
    private static List<SyscallRule> rulesFor(Seccomp seccomp, String syscall) {
        return seccomp.syscalls().stream().filter(rule -> rule.names().contains(syscall)).toList();
    }

    private static boolean allowedUnconditionally(Seccomp seccomp, String syscall) {
        return rulesFor(seccomp, syscall).stream().anyMatch(rule -> rule.action().equals("SCMP_ACT_ALLOW") && rule.args() == null);
    }

    @Test
    void theDefaultDeniesWithEpermOnEveryX86Architecture() {
        Seccomp seccomp = defaults();
        assertEquals("SCMP_ACT_ERRNO", seccomp.defaultAction());
        assertEquals(1, seccomp.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), seccomp.architectures());
        assertNull(seccomp.flags());
        for (String ordinary : List.of("read", "write", "openat", "execve", "exit_group", "mmap", "futex", "rt_sigaction", "wait4",
                "socketpair", "arch_prctl", "seccomp", "ptrace")) {
            assertTrue(allowedUnconditionally(seccomp, ordinary), ordinary);
        }
    }

    @Test
    void systemCallsThatReachPastTheContainerNeedTheirCapability() {
        Seccomp plain = defaults();
        for (String guarded : List.of("mount", "umount2", "unshare", "setns", "reboot", "init_module", "settimeofday", "bpf",
                "perf_event_open", "open_by_handle_at", "kcmp", "iopl", "acct", "vhangup", "mbind", "syslog")) {
            assertTrue(rulesFor(plain, guarded).isEmpty(), guarded + " is denied by default");
        }
        // chroot needs CAP_SYS_CHROOT, which containerd's defaults hold
        assertTrue(allowedUnconditionally(plain, "chroot"));
        assertTrue(rulesFor(SeccompProfiles.runtimeDefault(Set.of()), "chroot").isEmpty());

        Set<Capability> admin = EnumSet.copyOf(Capability.CONTAINERD_DEFAULTS);
        admin.add(Capability.SYS_ADMIN);
        Seccomp withAdmin = SeccompProfiles.runtimeDefault(admin);
        for (String allowed : List.of("mount", "umount2", "unshare", "setns", "sethostname", "bpf")) {
            assertTrue(allowedUnconditionally(withAdmin, allowed), allowed);
        }
        assertTrue(rulesFor(withAdmin, "reboot").isEmpty());
        assertTrue(allowedUnconditionally(SeccompProfiles.runtimeDefault(Set.of(Capability.SYS_BOOT)), "reboot"));
        assertTrue(allowedUnconditionally(SeccompProfiles.runtimeDefault(Set.of(Capability.SYS_TIME)), "clock_settime"));
        assertTrue(allowedUnconditionally(SeccompProfiles.runtimeDefault(Set.of(Capability.PERFMON)), "perf_event_open"));
    }

    @Test
    void cloneCreatesNoNamespaceAndClone3FallsBackWithoutSysAdmin() {
        Seccomp plain = defaults();
        assertEquals(List.of(new SyscallRule(List.of("clone"), "SCMP_ACT_ALLOW", null,
                List.of(new SyscallArg(0, 0x7E02_0000L, 0, "SCMP_CMP_MASKED_EQ")))), rulesFor(plain, "clone"));
        assertEquals(List.of(new SyscallRule(List.of("clone3"), "SCMP_ACT_ERRNO", 38, null)), rulesFor(plain, "clone3"));

        Set<Capability> admin = EnumSet.copyOf(Capability.CONTAINERD_DEFAULTS);
        admin.add(Capability.SYS_ADMIN);
        Seccomp withAdmin = SeccompProfiles.runtimeDefault(admin);
        assertTrue(allowedUnconditionally(withAdmin, "clone"));
        assertTrue(allowedUnconditionally(withAdmin, "clone3"));
        assertEquals(1, rulesFor(withAdmin, "clone").size(), "no masked rule beside the unconditional one");
        assertEquals(1, rulesFor(withAdmin, "clone3").size(), "no ENOSYS rule beside the allowing one");
    }

    @Test
    void personalityAndSocketAreAllowedOnlyWithHarmlessArguments() {
        Seccomp plain = defaults();
        List<SyscallArg> personas = rulesFor(plain, "personality").stream().map(rule -> rule.args().getFirst()).toList();
        assertEquals(List.of(0L, 8L, 0x20000L, 0x20008L, 0xffffffffL), personas.stream().map(SyscallArg::value).toList());
        assertTrue(personas.stream().allMatch(arg -> arg.index() == 0 && arg.op().equals("SCMP_CMP_EQ")), personas.toString());
        assertEquals(List.of(new SyscallRule(List.of("socket"), "SCMP_ACT_ALLOW", null, List.of(new SyscallArg(0, 40, 0, "SCMP_CMP_NE")))),
                rulesFor(plain, "socket"));
    }

    @Test
    void theDefaultsJsonHasTheSpecificationsFieldNames() throws IOException {
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsBytes(defaults()));
        assertEquals(Set.of("defaultAction", "defaultErrnoRet", "architectures", "syscalls"), fieldNames(json));
        JsonNode clone = null;
        for (JsonNode rule : json.get("syscalls")) {
            assertTrue(Set.of("names", "action", "errnoRet", "args").containsAll(fieldNames(rule)), rule.toString());
            if (rule.get("names").get(0).asText().equals("clone")) {
                clone = rule;
            }
        }
        assertEquals(MAPPER.readTree("""
                {"names":["clone"],"action":"SCMP_ACT_ALLOW",
                 "args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}"""), clone);
    }

    @Test
    void anOciProfileIsReadAsWritten() throws IOException {
        Path file = write("""
                {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"flags":["SECCOMP_FILTER_FLAG_LOG"],
                 "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":13},
                             {"names":["personality"],"action":"SCMP_ACT_KILL_PROCESS",
                              "args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"}]}]}""");
        Seccomp seccomp = SeccompProfiles.localhost(file, AMD64_6_1).forCapabilities(Set.of());
        assertEquals(new Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_X86_64"), List.of("SECCOMP_FILTER_FLAG_LOG"), List.of(
                new SyscallRule(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", 13, null),
                new SyscallRule(List.of("personality"), "SCMP_ACT_KILL_PROCESS", null, List.of(new SyscallArg(0, 8, 0, "SCMP_CMP_EQ"))))),
                seccomp);
    }

    @Test
    void argumentValuesAreUnsigned64BitNumbers() throws IOException {
        Path file = write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ioctl"],"action":"SCMP_ACT_ERRNO",
                 "args":[{"index":1,"value":18446744073709551615,"valueTwo":9223372036854775808,"op":"SCMP_CMP_MASKED_EQ"}]}]}""");
        SyscallArg arg = SeccompProfiles.localhost(file, AMD64_6_1).forCapabilities(Set.of()).syscalls().getFirst().args().getFirst();
        assertEquals(-1L, arg.value());
        assertEquals(Long.MIN_VALUE, arg.valueTwo());
        assertEquals(MAPPER.readTree("""
                {"index":1,"value":18446744073709551615,"valueTwo":9223372036854775808,"op":"SCMP_CMP_MASKED_EQ"}"""),
                MAPPER.readTree(MAPPER.writeValueAsBytes(arg)));
    }

    @Test
    void aDockerProfileHasItsArchMapAndConditionsResolved() throws IOException {
        Path file = write("""
                {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
                 "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},
                            {"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],
                 "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","comment":"always"},
                             {"name":"arch_prctl","action":"SCMP_ACT_ALLOW","includes":{"arches":["amd64","x32"]}},
                             {"names":["set_tls"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["arm","arm64"]}},
                             {"names":["ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8"}},
                             {"names":["newer"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"7.0"}},
                             {"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
                             {"names":["clone"],"action":"SCMP_ACT_ALLOW","excludes":{"caps":["CAP_SYS_ADMIN"],"arches":["s390x"]},
                              "args":[{"index":0,"value":2114060288,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]}]}""");
        SeccompProfile profile = SeccompProfiles.localhost(file, AMD64_6_1);
        Seccomp plain = profile.forCapabilities(Set.of());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), plain.architectures());
        assertEquals(1, plain.defaultErrnoRet());
        assertEquals(List.of("read", "arch_prctl", "ptrace", "clone"), plain.syscalls().stream().map(rule -> rule.names().getFirst()).toList());
        Seccomp admin = profile.forCapabilities(Set.of(Capability.SYS_ADMIN));
        assertEquals(List.of("read", "arch_prctl", "ptrace", "mount"), admin.syscalls().stream().map(rule -> rule.names().getFirst()).toList());

        Seccomp onArm = SeccompProfiles.localhost(file, new Host("arm64", new KernelVersion(4, 4))).forCapabilities(Set.of());
        assertEquals(List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"), onArm.architectures());
        assertEquals(List.of("read", "set_tls", "clone"), onArm.syscalls().stream().map(rule -> rule.names().getFirst()).toList());
    }

    @Test
    void theRuntimeDefaultWrittenToAFileReadsBackTheSame() throws IOException {
        Path file = dir.resolve("default.json");
        Files.write(file, MAPPER.writeValueAsBytes(defaults()));
        assertEquals(defaults(), SeccompProfiles.localhost(file, AMD64_6_1).forCapabilities(Set.of()));
    }

    @Test
    void badFilesAreRefusedNamingTheFileAndTheProblem() throws IOException {
        assertRefused(dir.resolve("missing.json"), "does not exist");
        assertRefused(write("{\"defaultAction\": "), "is not JSON");
        assertRefused(write("[]"), "is not a JSON object");
        assertRefused(write("{}"), "defaultAction is missing");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_MAYBE\"}"), "defaultAction: unknown action 'SCMP_ACT_MAYBE'");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}"),
                "syscalls[0].action is SCMP_ACT_NOTIFY");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"defaultAcion\":\"x\"}"), "unknown field defaultAcion");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}"),
                "architectures[0]: unknown architecture 'SCMP_ARCH_Z80'");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_FAST\"]}"),
                "flags[0]: unknown flag");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
                 "args":[{"index":0,"value":8,"op":"SCMP_CMP_ABOUT"}]}]}"""), "syscalls[0].args[0].op: unknown operator 'SCMP_CMP_ABOUT'");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
                 "args":[{"index":6,"value":8,"op":"SCMP_CMP_EQ"}]}]}"""), "syscalls[0].args[0].index must be");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
                 "args":[{"index":0,"value":-1,"op":"SCMP_CMP_EQ"}]}]}"""), "syscalls[0].args[0].value must be a number");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
                 "args":[{"index":0,"value":18446744073709551616,"op":"SCMP_CMP_EQ"}]}]}"""),
                "syscalls[0].args[0].value must be a number from 0 to 18446744073709551615");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"action\":\"SCMP_ACT_ERRNO\"}]}"),
                "syscalls[0] names no system call");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ALLOW",
                 "includes":{"caps":["CAP_FLY"]}}]}"""), "syscalls[0].includes.caps: unknown capability 'CAP_FLY'");
        assertRefused(write("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\"}"), "needs a seccomp agent");
        assertRefused(write("""
                {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86"],"archMap":[]}"""), "both architectures and archMap");
    }

    @Test
    void anUnreadableFileIsRefused() throws IOException {
        // the tests run as root, who reads a file whatever its mode; a directory cannot be read as a file by anyone
        assertRefused(Files.createDirectory(dir.resolve("profile.d")), "cannot be read");
    }

    @Test
    void theChoiceIsParsedFromTheApiString() throws IOException {
        assertEquals(new SeccompChoice.RuntimeDefault(), SeccompChoice.parse(null));
        assertEquals(new SeccompChoice.RuntimeDefault(), SeccompChoice.parse("runtime/default"));
        assertEquals(new SeccompChoice.Unconfined(), SeccompChoice.parse("unconfined"));
        Path file = write("{\"defaultAction\":\"SCMP_ACT_ALLOW\"}");
        SeccompChoice.Localhost localhost = (SeccompChoice.Localhost) SeccompChoice.parse("localhost/" + file);
        assertEquals(file, localhost.file());
        assertEquals("SCMP_ACT_ALLOW", localhost.profile().defaultAction());

        HawserException relative = assertThrows(HawserException.class, () -> SeccompChoice.parse("localhost/profiles/x.json"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, relative.code());
        assertTrue(relative.getMessage().contains("'localhost/profiles/x.json'") && relative.getMessage().contains("absolute"),
                relative.getMessage());
        HawserException unknown = assertThrows(HawserException.class, () -> SeccompChoice.parse("docker/strict"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, unknown.code());
        assertTrue(unknown.getMessage().contains("'docker/strict'"), unknown.getMessage());
        HawserException missing = assertThrows(HawserException.class, () -> SeccompChoice.parse("localhost/" + dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains(dir.resolve("none.json") + " does not exist"), missing.getMessage());
    }

    @Test
    void kernelVersionsCompareByMajorThenMinor() {
        assertEquals(new KernelVersion(6, 18), KernelVersion.parse("6.18.44-fc-v657"));
        assertEquals(new KernelVersion(4, 8), KernelVersion.parse("4.8"));
        assertTrue(new KernelVersion(5, 10).compareTo(new KernelVersion(4, 18)) > 0);
        assertTrue(new KernelVersion(4, 8).compareTo(new KernelVersion(4, 10)) < 0);
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("six"));
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(dir, "profile-", ".json");
        Files.writeString(file, json);
        return file;
    }

    private static void assertRefused(Path file, String problem) {
        HawserException e = assertThrows(HawserException.class, () -> SeccompProfiles.localhost(file, AMD64_6_1));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e.getMessage());
        assertTrue(e.getMessage().startsWith("seccomp profile " + file + " "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
