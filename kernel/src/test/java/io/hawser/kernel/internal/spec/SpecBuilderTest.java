package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.RuntimeSpec.Mount;
import io.hawser.kernel.internal.spec.RuntimeSpec.Seccomp;
import io.hawser.kernel.internal.spec.RuntimeSpec.SyscallRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SpecBuilderTest {

    /** A daemon with every capability, a neutral OOM score and a high open files limit. */
    static final HostFacts FULL_ROOT = new HostFacts(0, 1_048_576, EnumSet.allOf(Capability.class));

    /** A daemon like the one on Hawser's machines: no CAP_SYS_RESOURCE, protected from the OOM killer, few files. */
    static final HostFacts PROTECTED_DAEMON = new HostFacts(-500, 512, EnumSet.complementOf(EnumSet.of(Capability.SYS_RESOURCE)));

    static final ImageConfig BUSYBOX = new ImageConfig(null, List.of("sh"), null, null, null);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path rootfs;

    @BeforeEach
    void writeDatabases() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), ImageUsersTest.PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), ImageUsersTest.GROUP);
    }

    private SpecBuilder builder(ImageConfig image, HostFacts host) {
        return new SpecBuilder("web-1", image, ImageUsers.in(rootfs), host);
    }

    private SpecBuilder builder() {
        return builder(BUSYBOX, FULL_ROOT);
    }

    private static JsonNode json(RuntimeSpec spec) throws IOException {
        return MAPPER.readTree(spec.toJson());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static Set<String> names(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static void assertRefused(ErrorCode code, String messagePart, Executable executable) {
        HawserException e = assertThrows(HawserException.class, executable);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void theJsonUsesTheSpecificationsPropertyNamesAndLeavesUnsetPartsOut() throws IOException {
        JsonNode spec = json(builder().build());
        assertEquals(names("ociVersion", "process", "root", "hostname", "mounts", "linux"), fieldNames(spec));
        assertEquals(RuntimeSpec.OCI_VERSION, spec.get("ociVersion").asText());
        JsonNode process = spec.get("process");
        assertEquals(names("terminal", "user", "args", "env", "cwd", "capabilities", "rlimits", "noNewPrivileges", "oomScoreAdj"),
                fieldNames(process));
        assertEquals(names("uid", "gid", "additionalGids"), fieldNames(process.get("user")));
        assertEquals(names("bounding", "effective", "permitted"), fieldNames(process.get("capabilities")));
        assertEquals(names("type", "hard", "soft"), fieldNames(process.get("rlimits").get(0)));
        assertEquals(names("path", "readonly"), fieldNames(spec.get("root")));
        for (JsonNode mount : spec.get("mounts")) {
            assertEquals(names("destination", "type", "source", "options"), fieldNames(mount));
        }
        JsonNode linux = spec.get("linux");
        assertEquals(names("namespaces", "resources", "cgroupsPath", "maskedPaths", "readonlyPaths", "seccomp"), fieldNames(linux));
        assertEquals(names("type"), fieldNames(linux.get("namespaces").get(0)));
        assertEquals(names("devices"), fieldNames(linux.get("resources")));
        assertEquals(MAPPER.readTree("{\"allow\":false,\"access\":\"rwm\"}"), linux.get("resources").get("devices").get(0));
    }

    @Test
    void limitsAppearUnderTheirControllers() throws IOException {
        JsonNode resources = json(builder().memoryLimitBytes(MemorySize.parseBytes("512m")).cpus(CpuLimit.ofCpus("0.5"))
                .cpuShares(512).pidsLimit(100).build()).get("linux").get("resources");
        assertEquals(names("devices", "memory", "cpu", "pids"), fieldNames(resources));
        assertEquals(MAPPER.readTree("{\"limit\":536870912}"), resources.get("memory"));
        assertEquals(MAPPER.readTree("{\"shares\":512,\"quota\":50000,\"period\":100000}"), resources.get("cpu"));
        assertEquals(MAPPER.readTree("{\"limit\":100}"), resources.get("pids"));

        JsonNode quotaOnly = json(builder().cpus(CpuLimit.ofCpus("2")).build()).get("linux").get("resources").get("cpu");
        assertEquals(MAPPER.readTree("{\"quota\":200000,\"period\":100000}"), quotaOnly);
    }

    @Test
    void theDevptsMountIsWrittenExactly() throws IOException {
        JsonNode devpts = json(builder().build()).get("mounts").get(2);
        assertEquals(MAPPER.readTree("""
                {"destination":"/dev/pts","type":"devpts","source":"devpts",
                 "options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620","gid=5"]}"""), devpts);
    }

    @Test
    void defaultsAreContainerds() throws IOException {
        RuntimeSpec spec = builder().build();
        assertEquals(List.of("sh"), spec.process().args());
        assertEquals(List.of(SpecBuilder.DEFAULT_PATH, "HOME=/root"), spec.process().env());
        assertEquals("/", spec.process().cwd());
        assertEquals(0, spec.process().user().uid());
        assertFalse(spec.process().terminal());
        assertFalse(spec.process().noNewPrivileges());
        assertEquals(0, spec.process().oomScoreAdj());
        assertEquals(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
                "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"),
                spec.process().capabilities().bounding());
        assertEquals(spec.process().capabilities().bounding(), spec.process().capabilities().effective());
        assertEquals(spec.process().capabilities().bounding(), spec.process().capabilities().permitted());
        assertNull(spec.process().capabilities().inheritable());
        assertEquals(List.of(new RuntimeSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), spec.process().rlimits());
        assertEquals(new RuntimeSpec.Root("rootfs", false), spec.root());
        assertEquals("web-1", spec.hostname());
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"),
                spec.mounts().stream().map(Mount::destination).toList());
        assertEquals(List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"), spec.mounts().get(3).options());
        assertTrue(spec.mounts().get(5).options().contains("ro"));
        assertTrue(spec.mounts().get(6).options().contains("ro"));
        assertEquals(List.of("pid", "ipc", "uts", "mount", "network"),
                spec.linux().namespaces().stream().map(RuntimeSpec.Namespace::type).toList());
        assertEquals("/hawser/web-1", spec.linux().cgroupsPath());
        assertTrue(spec.linux().maskedPaths().containsAll(List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi")));
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), spec.linux().readonlyPaths());
        assertNull(spec.linux().resources().memory());
        assertNull(spec.linux().resources().cpu());
        assertNull(spec.linux().resources().pids());
        assertEquals(SeccompProfiles.runtimeDefault(Capability.CONTAINERD_DEFAULTS), spec.linux().seccomp());
    }

    @Test
    void theCommandReplacesCmdButKeepsTheEntrypoint() throws IOException {
        ImageConfig image = new ImageConfig(List.of("/docker-entrypoint.sh"), List.of("nginx", "-g", "daemon off;"), null, null, null);
        assertEquals(List.of("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"), builder(image, FULL_ROOT).build().process().args());
        assertEquals(List.of("/docker-entrypoint.sh", "sh"), builder(image, FULL_ROOT).command(List.of("sh")).build().process().args());
        assertEquals(List.of("echo", "hi"), builder().command(List.of("echo", "hi")).build().process().args());
    }

    @Test
    void noCommandAnywhereIsRefused() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, "no command", () -> builder(ImageConfig.EMPTY, FULL_ROOT).build());
    }

    @Test
    void requestedVariablesReplaceTheImagesByName() throws IOException {
        ImageConfig image = new ImageConfig(null, List.of("sh"), List.of("PATH=/opt/bin:/bin", "MODE=prod", "EMPTY="), null, null);
        RuntimeSpec spec = builder(image, FULL_ROOT).env(List.of("MODE=dev", "EXTRA=a=b", "HOME=/tmp")).build();
        assertEquals(List.of("PATH=/opt/bin:/bin", "MODE=dev", "EMPTY=", "EXTRA=a=b", "HOME=/tmp"), spec.process().env());
    }

    @Test
    void malformedVariablesAreRefusedNamingThem() {
        for (String bad : List.of("NOVALUE", "=value", "", "A=b\0c")) {
            assertRefused(ErrorCode.INVALID_ARGUMENT, "'" + bad + "' must be KEY=VALUE", () -> builder().env(List.of(bad)).build());
        }
        ImageConfig image = new ImageConfig(null, List.of("sh"), List.of("BROKEN"), null, null);
        assertRefused(ErrorCode.INVALID_ARGUMENT, "image environment entry 'BROKEN'", () -> builder(image, FULL_ROOT).build());
    }

    @Test
    void theRequestedWorkdirWinsAndMustBeAbsolute() throws IOException {
        ImageConfig image = new ImageConfig(null, List.of("sh"), null, "/srv", null);
        assertEquals("/srv", builder(image, FULL_ROOT).build().process().cwd());
        assertEquals("/tmp", builder(image, FULL_ROOT).workdir("/tmp").build().process().cwd());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "working directory 'tmp'", () -> builder().workdir("tmp").build());
    }

    @Test
    void theUserComesFromTheRequestOrTheImage() throws IOException {
        ImageConfig image = new ImageConfig(null, List.of("sh"), null, null, "app");
        RuntimeSpec fromImage = builder(image, FULL_ROOT).build();
        assertEquals(new RuntimeSpec.User(1000, 1000, null, List.of(10L, 29L)), fromImage.process().user());
        assertTrue(fromImage.process().env().contains("HOME=/home/app"));
        assertEquals(new RuntimeSpec.User(1, 50, null, null), builder(image, FULL_ROOT).user("daemon:staff").build().process().user());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "user 'ghost'", () -> builder().user("ghost").build());
    }

    @Test
    void theOomScoreIsNeverBelowTheDaemons() throws IOException {
        assertEquals(-500, builder(BUSYBOX, PROTECTED_DAEMON).oomScoreAdj(-900).build().process().oomScoreAdj());
        assertEquals(0, builder(BUSYBOX, PROTECTED_DAEMON).build().process().oomScoreAdj());
        assertEquals(100, builder(BUSYBOX, PROTECTED_DAEMON).oomScoreAdj(100).build().process().oomScoreAdj());
        assertEquals(300, builder(BUSYBOX, new HostFacts(300, 1024, Set.of())).build().process().oomScoreAdj());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "oom_score_adj 1001", () -> builder().oomScoreAdj(1001).build());
    }

    @Test
    void theOpenFilesLimitIsNeverAboveTheDaemonsHardLimit() throws IOException {
        assertEquals(List.of(new RuntimeSpec.Rlimit("RLIMIT_NOFILE", 512, 512)),
                builder(BUSYBOX, PROTECTED_DAEMON).build().process().rlimits());
    }

    @Test
    void privilegedGetsEverythingTheDaemonHoldsAndAnUnmaskedWritableSystem() throws IOException {
        RuntimeSpec spec = builder(BUSYBOX, PROTECTED_DAEMON).privileged(true).seccomp(readAndWrite()).build();
        List<String> expected = EnumSet.complementOf(EnumSet.of(Capability.SYS_RESOURCE)).stream().map(Capability::specName).toList();
        assertEquals(expected, spec.process().capabilities().bounding());
        assertEquals(expected, spec.process().capabilities().effective());
        assertNull(spec.linux().maskedPaths());
        assertNull(spec.linux().readonlyPaths());
        assertNull(spec.linux().seccomp());
        assertEquals(List.of(new RuntimeSpec.DeviceRule(true, null, null, null, "rwm")), spec.linux().resources().devices());
        assertTrue(spec.mounts().get(5).options().contains("rw"));
        assertFalse(spec.mounts().get(5).options().contains("ro"));
        assertFalse(spec.mounts().get(6).options().contains("ro"));
        JsonNode linux = json(spec).get("linux");
        assertFalse(linux.has("maskedPaths"));
        assertFalse(linux.has("readonlyPaths"));
    }

    @Test
    void privilegedStillHonoursCapDrop() throws IOException {
        List<String> capabilities = builder().privileged(true).capDrop(List.of("SYS_ADMIN")).build().process().capabilities().bounding();
        assertEquals(Capability.values().length - 1, capabilities.size());
        assertFalse(capabilities.contains("CAP_SYS_ADMIN"));
    }

    @Test
    void capabilitiesAreAddedAndDroppedByAnySpelling() throws IOException {
        List<String> capabilities = builder().capAdd(List.of("SYS_ADMIN", "cap_sys_ptrace")).capDrop(List.of("CAP_NET_RAW", "mknod"))
                .build().process().capabilities().bounding();
        assertTrue(capabilities.containsAll(List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE")));
        assertFalse(capabilities.contains("CAP_NET_RAW"));
        assertFalse(capabilities.contains("CAP_MKNOD"));
        assertEquals(14, capabilities.size());
    }

    @Test
    void droppingAllThenAddingLeavesOnlyTheAdded() throws IOException {
        assertEquals(List.of("CAP_NET_BIND_SERVICE"), builder().capDrop(List.of("ALL")).capAdd(List.of("NET_BIND_SERVICE"))
                .build().process().capabilities().bounding());
        assertEquals(List.of(), builder().capDrop(List.of("all")).build().process().capabilities().bounding());
    }

    @Test
    void addingAllGivesWhatTheDaemonHoldsMinusTheDropped() throws IOException {
        List<String> capabilities = builder(BUSYBOX, PROTECTED_DAEMON).capAdd(List.of("ALL")).capDrop(List.of("SYS_ADMIN"))
                .build().process().capabilities().bounding();
        assertEquals(Capability.values().length - 2, capabilities.size());
        assertFalse(capabilities.contains("CAP_SYS_ADMIN"));
    }

    @Test
    void aCapabilityTheDaemonLacksCannotBeAdded() {
        assertRefused(ErrorCode.FAILED_PRECONDITION, "cannot add CAP_SYS_RESOURCE",
                () -> builder(BUSYBOX, PROTECTED_DAEMON).capAdd(List.of("SYS_RESOURCE")).build());
    }

    @Test
    void defaultsTheDaemonLacksAreLeftOut() throws IOException {
        HostFacts weak = new HostFacts(0, 1024, EnumSet.of(Capability.CHOWN, Capability.KILL, Capability.SYS_ADMIN));
        assertEquals(List.of("CAP_CHOWN", "CAP_KILL"), builder(BUSYBOX, weak).build().process().capabilities().bounding());
    }

    @Test
    void unknownCapabilitiesAreRefusedNamingThem() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, "unknown capability 'CAP_FLY'", () -> builder().capAdd(List.of("CAP_FLY")).build());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "unknown capability 'teleport'", () -> builder().capDrop(List.of("teleport")).build());
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, "memory limit 0", () -> builder().memoryLimitBytes(0).build());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "pids limit -1", () -> builder().pidsLimit(-1).build());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "cpu shares 1", () -> builder().cpuShares(1).build());
    }

    @Test
    void theHostNameIsCheckedOrMadeFromTheId() throws IOException {
        assertEquals("db.local", builder().hostname("db.local").build().hostname());
        assertEquals("my-app", new SpecBuilder("my_app", BUSYBOX, ImageUsers.in(rootfs), FULL_ROOT).build().hostname());
        String longId = "a".repeat(76);
        assertEquals(64, new SpecBuilder(longId, BUSYBOX, ImageUsers.in(rootfs), FULL_ROOT).build().hostname().length());
        for (String bad : List.of("", "-x", "has space", "under_score", "a".repeat(65))) {
            assertRefused(ErrorCode.INVALID_ARGUMENT, "host name '" + bad + "'", () -> builder().hostname(bad).build());
        }
    }

    @Test
    void theRootfsCanBeReadOnly() throws IOException {
        assertTrue(json(builder().readOnlyRootfs(true).build()).get("root").get("readonly").asBoolean());
    }

    @Test
    void terminalNoNewPrivilegesAndCgroupPathAreTakenAsGiven() throws IOException {
        RuntimeSpec spec = builder().terminal(true).noNewPrivileges(true).cgroupsPath("kubepods-pod1.slice:hawser:web-1").build();
        assertTrue(spec.process().terminal());
        assertTrue(spec.process().noNewPrivileges());
        assertEquals("kubepods-pod1.slice:hawser:web-1", spec.linux().cgroupsPath());
    }

    @Test
    void extraMountsFollowTheDefaultsAndNeedAbsoluteDestinations() throws IOException {
        Mount hosts = new Mount("/etc/hosts", "bind", "/run/hawser/web-1/hosts", List.of("rbind", "ro"));
        List<Mount> mounts = builder().mount(hosts).build().mounts();
        assertEquals(hosts, mounts.getLast());
        assertEquals(8, mounts.size());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "mount destination 'etc/hosts'",
                () -> builder().mount(new Mount("etc/hosts", "bind", "/x", List.of("rbind"))).build());
    }

    private static SeccompChoice readAndWrite() {
        SyscallRule allow = new SyscallRule(List.of("read", "write"), "SCMP_ACT_ALLOW", null, null);
        SyscallRule mount = new SyscallRule(List.of("mount"), "SCMP_ACT_ALLOW", null, null);
        return new SeccompChoice.Localhost(Path.of("/etc/profile.json"), new SeccompProfile("SCMP_ACT_ERRNO", null,
                List.of("SCMP_ARCH_X86_64"), null,
                List.of(SeccompProfile.Rule.always(allow), new SeccompProfile.Rule(mount, Set.of(Capability.SYS_ADMIN), Set.of()))));
    }

    @Test
    void aChosenSeccompProfileIsWrittenWithRulesForTheFinalCapabilities() throws IOException {
        JsonNode seccomp = json(builder().seccomp(readAndWrite()).build()).get("linux").get("seccomp");
        assertEquals(MAPPER.readTree("""
                {"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],
                 "syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}"""), seccomp);
        Seccomp withSysAdmin = builder().seccomp(readAndWrite()).capAdd(List.of("SYS_ADMIN")).build().linux().seccomp();
        assertEquals(List.of(List.of("read", "write"), List.of("mount")), withSysAdmin.syscalls().stream().map(SyscallRule::names).toList());
    }

    @Test
    void theRuntimeDefaultFollowsTheFinalCapabilitiesAndUnconfinedHasNoFilter() throws IOException {
        assertEquals(SeccompProfiles.runtimeDefault(EnumSet.of(Capability.CHOWN)),
                builder().capDrop(List.of("ALL")).capAdd(List.of("CHOWN")).build().linux().seccomp());
        Set<Capability> withAdmin = EnumSet.copyOf(Capability.CONTAINERD_DEFAULTS);
        withAdmin.add(Capability.SYS_ADMIN);
        assertEquals(SeccompProfiles.runtimeDefault(withAdmin), builder().capAdd(List.of("SYS_ADMIN")).build().linux().seccomp());
        RuntimeSpec unconfined = builder().seccomp(new SeccompChoice.Unconfined()).build();
        assertNull(unconfined.linux().seccomp());
        assertFalse(json(unconfined).get("linux").has("seccomp"));
    }

    @Test
    void anInvalidContainerIdIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new SpecBuilder("../x", BUSYBOX, ImageUsers.in(rootfs), FULL_ROOT));
    }

    @Test
    void userLookupFailuresSurfaceFromBuild() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertRefused(ErrorCode.INVALID_ARGUMENT, "symbolic link", () -> builder().build());
    }

    @Test
    void podContainerJoinsPinnedNamespacesAndSharesTheHostPidNamespace() throws IOException {
        JsonNode linux = json(builder()
                .joinNamespace("network", "/run/hawser/pods/p1/net")
                .joinNamespace("ipc", "/run/hawser/pods/p1/ipc")
                .hostNamespace("pid")
                .build()).get("linux");
        Set<String> namespaces = new TreeSet<>();
        linux.get("namespaces").forEach(ns -> namespaces.add(ns.get("type").asText()
                + (ns.has("path") ? "=" + ns.get("path").asText() : "")));
        assertEquals(names("ipc=/run/hawser/pods/p1/ipc", "mount", "network=/run/hawser/pods/p1/net", "uts"), namespaces);
        assertThrows(IllegalArgumentException.class, () -> builder().hostNamespace("mount"));
    }

    @Test
    void hostUtsNamespaceLeavesTheHostNameAlone() throws IOException {
        assertFalse(json(builder().hostname("web").hostNamespace("uts").build()).has("hostname"));
    }

    @Test
    void devicesAreCreatedAndAllowedWithTheirAccess() throws IOException {
        JsonNode linux = json(builder()
                .device(new RuntimeSpec.Device("/dev/xnull", "c", 1, 3, 0666, 0L, 0L), "rw")
                .build()).get("linux");
        assertEquals("/dev/xnull", linux.get("devices").get(0).get("path").asText());
        JsonNode rules = linux.get("resources").get("devices");
        assertFalse(rules.get(0).get("allow").asBoolean(), "everything denied first");
        assertEquals("c", rules.get(1).get("type").asText());
        assertEquals(1, rules.get(1).get("major").asLong());
        assertEquals(3, rules.get(1).get("minor").asLong());
        assertEquals("rw", rules.get(1).get("access").asText());
    }

    @Test
    void hostDevicesAreDescribedFromTheirNode() throws IOException {
        RuntimeSpec.Device zero = HostDevices.describe(Path.of("/dev/zero"), "/dev/zero2");
        assertEquals("c", zero.type());
        assertEquals(1, zero.major());
        assertEquals(5, zero.minor());
        assertRefused(ErrorCode.INVALID_ARGUMENT, "is not a device node", () -> HostDevices.describe(rootfs, "/dev/x"));
        assertRefused(ErrorCode.INVALID_ARGUMENT, "does not exist", () -> HostDevices.describe(rootfs.resolve("none"), "/dev/x"));
    }

    @Test
    void resourcesOverrideTheSimpleLimits() throws IOException {
        JsonNode resources = json(builder()
                .memoryLimitBytes(1 << 20)
                .cpuShares(512)
                .resources(new io.hawser.runtime.Resources(2L << 20, 4L << 20, null, 50_000L, 100_000L, "0", "0", null,
                        java.util.Map.of("2MB", 0L), null))
                .build()).get("linux").get("resources");
        assertEquals(2 << 20, resources.get("memory").get("limit").asLong());
        assertEquals(4 << 20, resources.get("memory").get("swap").asLong());
        assertEquals(512, resources.get("cpu").get("shares").asLong());
        assertEquals(50_000, resources.get("cpu").get("quota").asLong());
        assertEquals("0", resources.get("cpu").get("cpus").asText());
        assertEquals("2MB", resources.get("hugepageLimits").get(0).get("pageSize").asText());
    }

    @Test
    void maskedAndReadonlyPathsCanBeReplacedOrEmptied() throws IOException {
        JsonNode linux = json(builder().maskedPaths(List.of("/proc/kcore")).readonlyPaths(List.of()).build()).get("linux");
        assertEquals(1, linux.get("maskedPaths").size());
        assertFalse(linux.has("readonlyPaths"));
    }

    @Test
    void supplementalGroupsFollowTheUsersGroupsOnce() throws IOException {
        JsonNode user = json(builder().user("0").supplementalGroups(List.of(4242L, 4242L)).build()).get("process").get("user");
        assertEquals(List.of(10L, 4242L), MAPPER.convertValue(user.get("additionalGids"), MAPPER.getTypeFactory()
                .constructCollectionType(List.class, Long.class)));
    }
}
