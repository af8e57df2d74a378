package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The {@code config.json} of an OCI bundle, limited to the parts Hawser writes. Each record
 * component carries the property name the OCI runtime specification gives it, so the JSON is what
 * runc, crun and youki read. Optional parts are {@code null} and then left out of the JSON rather
 * than written as {@code null}, because runtimes treat an explicit {@code null} differently from an
 * absent property in places (an empty seccomp object, for example, is an error).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuntimeSpec(
        @JsonProperty("ociVersion") String ociVersion,
        @JsonProperty("process") Process process,
        @JsonProperty("root") Root root,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("mounts") List<Mount> mounts,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("linux") Linux linux) {

    /** The version of the runtime specification this model follows. */
    public static final String OCI_VERSION = "1.2.0";

    // compact, as containerd writes it: runc reads it on every create and the record keeps a copy;
    // `hawser inspect` and `jq` show it indented
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The JSON text of {@code config.json}. */
    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            // every component is a record, list, string or number, so this is a programming error
            throw new IllegalStateException("runtime spec cannot be written as JSON", e);
        }
    }

    /** The container's init process. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(
            @JsonProperty("terminal") boolean terminal,
            @JsonProperty("user") User user,
            @JsonProperty("args") List<String> args,
            @JsonProperty("env") List<String> env,
            @JsonProperty("cwd") String cwd,
            @JsonProperty("capabilities") Capabilities capabilities,
            @JsonProperty("rlimits") List<Rlimit> rlimits,
            @JsonProperty("noNewPrivileges") boolean noNewPrivileges,
            @JsonProperty("oomScoreAdj") Integer oomScoreAdj) {}

    /** Who the process runs as; {@code umask} is {@code null} to keep the runtime's default. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record User(
            @JsonProperty("uid") long uid,
            @JsonProperty("gid") long gid,
            @JsonProperty("umask") Integer umask,
            @JsonProperty("additionalGids") List<Long> additionalGids) {}

    /**
     * The capability sets, by {@code CAP_} names. Inheritable and ambient are {@code null} unless
     * asked for: a non-empty inheritable set lets a program regain capabilities through file
     * capabilities across exec, which is why containerd stopped setting it (CVE-2022-24769).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(
            @JsonProperty("bounding") List<String> bounding,
            @JsonProperty("effective") List<String> effective,
            @JsonProperty("permitted") List<String> permitted,
            @JsonProperty("inheritable") List<String> inheritable,
            @JsonProperty("ambient") List<String> ambient) {}

    /** A resource limit, {@code type} as {@code RLIMIT_NOFILE}. */
    public record Rlimit(@JsonProperty("type") String type, @JsonProperty("hard") long hard, @JsonProperty("soft") long soft) {}

    /** The root filesystem, {@code path} relative to the bundle directory. */
    public record Root(@JsonProperty("path") String path, @JsonProperty("readonly") boolean readonly) {}

    /** A filesystem mounted in the container in the order listed. */
    public record Mount(
            @JsonProperty("destination") String destination,
            @JsonProperty("type") String type,
            @JsonProperty("source") String source,
            @JsonProperty("options") List<String> options) {}

    /** The Linux-specific part. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Linux(
            @JsonProperty("namespaces") List<Namespace> namespaces,
            @JsonProperty("uidMappings") List<IdMapping> uidMappings,
            @JsonProperty("gidMappings") List<IdMapping> gidMappings,
            @JsonProperty("resources") Resources resources,
            @JsonProperty("cgroupsPath") String cgroupsPath,
            @JsonProperty("maskedPaths") List<String> maskedPaths,
            @JsonProperty("readonlyPaths") List<String> readonlyPaths,
            @JsonProperty("devices") List<Device> devices,
            @JsonProperty("seccomp") Seccomp seccomp,
            @JsonProperty("sysctl") Map<String, String> sysctl,
            @JsonProperty("rootfsPropagation") String rootfsPropagation) {}

    /** A namespace to create, or to join when {@code path} names one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(@JsonProperty("type") String type, @JsonProperty("path") String path) {}

    /** A range of ids in a user namespace and the host ids it maps to. */
    public record IdMapping(
            @JsonProperty("containerID") long containerId,
            @JsonProperty("hostID") long hostId,
            @JsonProperty("size") long size) {}

    /** Cgroup settings; a {@code null} part leaves that controller as the runtime sets it up. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(
            @JsonProperty("devices") List<DeviceRule> devices,
            @JsonProperty("memory") Memory memory,
            @JsonProperty("cpu") Cpu cpu,
            @JsonProperty("pids") Pids pids,
            @JsonProperty("hugepageLimits") List<HugepageLimit> hugepageLimits,
            @JsonProperty("unified") Map<String, String> unified) {}

    /**
     * A device cgroup rule; {@code null} type, major or minor match every device. The runtime adds
     * rules for the devices it always creates (null, zero, tty, …) after these.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceRule(
            @JsonProperty("allow") boolean allow,
            @JsonProperty("type") String type,
            @JsonProperty("major") Long major,
            @JsonProperty("minor") Long minor,
            @JsonProperty("access") String access) {}

    /** The memory controller, in bytes; {@code swap} is memory plus swap, a {@code null} field is not set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(@JsonProperty("limit") Long limit, @JsonProperty("swap") Long swap) {}

    /**
     * The CPU and cpuset controllers; a {@code null} field is not set. Quota and period are
     * microseconds, {@code cpus} and {@code mems} cpuset lists ({@code 0-3,6}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(@JsonProperty("shares") Long shares, @JsonProperty("quota") Long quota, @JsonProperty("period") Long period,
            @JsonProperty("cpus") String cpus, @JsonProperty("mems") String mems) {}

    /** A limit on one huge page size ({@code 2MB}), in bytes. */
    public record HugepageLimit(@JsonProperty("pageSize") String pageSize, @JsonProperty("limit") long limit) {}

    /** The pids controller: the most tasks at once. */
    public record Pids(@JsonProperty("limit") long limit) {}

    /** A device node the runtime creates in the container's {@code /dev}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(
            @JsonProperty("path") String path,
            @JsonProperty("type") String type,
            @JsonProperty("major") long major,
            @JsonProperty("minor") long minor,
            @JsonProperty("fileMode") Integer fileMode,
            @JsonProperty("uid") Long uid,
            @JsonProperty("gid") Long gid) {}

    /**
     * A seccomp filter: the action for system calls no rule names ({@code defaultErrnoRet} the
     * errno when that action is {@code SCMP_ACT_ERRNO}, EPERM when {@code null}), the
     * architectures the filter covers ({@code SCMP_ARCH_X86_64}), {@code seccomp(2)} flags
     * ({@code SECCOMP_FILTER_FLAG_LOG}) and the rules.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Seccomp(
            @JsonProperty("defaultAction") String defaultAction,
            @JsonProperty("defaultErrnoRet") Integer defaultErrnoRet,
            @JsonProperty("architectures") List<String> architectures,
            @JsonProperty("flags") List<String> flags,
            @JsonProperty("syscalls") List<SyscallRule> syscalls) {}

    /**
     * The action for the system calls named, taken only when every argument condition holds;
     * {@code errnoRet} is the errno of {@code SCMP_ACT_ERRNO} (EPERM when {@code null}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SyscallRule(
            @JsonProperty("names") List<String> names,
            @JsonProperty("action") String action,
            @JsonProperty("errnoRet") Integer errnoRet,
            @JsonProperty("args") List<SyscallArg> args) {}

    /**
     * A condition on the argument at {@code index} (0 to 5): {@code op} compares it with
     * {@code value}; for {@code SCMP_CMP_MASKED_EQ} {@code value} is a mask and the masked
     * argument must equal {@code valueTwo}. The values are unsigned 64-bit numbers held in a
     * long's bits ({@code -1} is 2^64-1), and written unsigned.
     */
    public record SyscallArg(
            @JsonProperty("index") int index,
            @JsonProperty("value") @JsonSerialize(using = UnsignedLongWriter.class) long value,
            @JsonProperty("valueTwo") @JsonSerialize(using = UnsignedLongWriter.class) long valueTwo,
            @JsonProperty("op") String op) {}

    /** Writes a long's bits as the unsigned number the runtime specification's uint64 fields hold. */
    static final class UnsignedLongWriter extends StdSerializer<Long> {
        public UnsignedLongWriter() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeNumber(Long.toUnsignedString(value));
        }
    }
}
