package io.hawser.containers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hawser.runtime.Resources;

/**
 * What to create a container from: the image and what the request changes about how its process
 * runs. Everything but the image is optional ({@code null}, empty or {@code false}); the service
 * then uses the image configuration and containerd's defaults. Sizes and counts are checked when
 * the container is created, not here, so that the error names the request.
 *
 * @param image           the image reference; the image must be in the image store
 * @param id              the id, or {@code null} for a generated one
 * @param name            the name, or {@code null} for a generated one
 * @param runtime         the runtime handler, or {@code null} for {@code runc}
 * @param snapshotter     the snapshotter, or {@code null} for the daemon's default
 * @param command         replaces the image's {@code Cmd} when not empty (the entrypoint stays, as
 *                        with {@code docker run IMAGE COMMAND…})
 * @param entrypoint      replaces the image's {@code Entrypoint} when not {@code null}; an empty
 *                        list clears it
 * @param env             {@code KEY=VALUE} entries added to the image's environment, replacing
 *                        entries with the same key
 * @param workdir         the working directory, or {@code null} for the image's
 * @param user            a user as a name or uid with an optional group ({@code nobody},
 *                        {@code 1000:1000}, {@code app:staff}), resolved through the image's
 *                        {@code /etc/passwd} and {@code /etc/group}; {@code null} for the image's
 * @param hostname        the host name, or {@code null} for the first 12 characters of the id
 * @param terminal        whether the process gets a pseudo-terminal
 * @param stdin           whether the process gets an input stream
 * @param stdinOnce       whether input closes when the first attached client detaches
 * @param readOnlyRootfs  whether the root filesystem is mounted read-only
 * @param memoryLimit     a memory limit as a size ({@code 64m}, {@code 1g}, bytes without a unit)
 * @param cpus            a CPU limit as a number of CPUs ({@code 0.5}, {@code 2})
 * @param pidsLimit       the most processes at once, or {@code null} for no limit
 * @param capAdd          capabilities added to the default set ({@code NET_ADMIN}, {@code CAP_SYS_TIME},
 *                        {@code ALL})
 * @param capDrop         capabilities removed from the default set
 * @param privileged      whether the container gets every capability and device and no masked paths
 * @param noNewPrivileges whether its processes cannot gain privileges (setuid programs run unprivileged)
 * @param logPath         where its output is logged, or {@code null} for a file under the daemon's
 *                        root
 * @param labels          labels to record
 * @param namespaces      which namespaces are the container's own, the host's or joined;
 *                        {@code null} for all its own
 * @param mounts          host paths bind-mounted into it, after the image's and the defaults; one
 *                        at {@code /etc/hosts}, {@code /etc/resolv.conf} or {@code /etc/hostname}
 *                        replaces the file the service would write there
 * @param devices         host devices made available in it
 * @param supplementalGroups group ids its processes belong to besides those of the user's entry in
 *                        the image's {@code /etc/group}
 * @param cgroupParent    the cgroup its own cgroup is made in ({@code /kubepods/pod1234}), or
 *                        {@code null} for the daemon's
 * @param resources       limits beyond {@code memoryLimit}, {@code cpus} and {@code pidsLimit}
 *                        (CPU shares, quota and period, cpusets, swap, huge pages), which they
 *                        override; {@code null} for none
 * @param oomScoreAdj     the out-of-memory killer's preference for its processes; never below the
 *                        daemon's own, {@code null} for the daemon's
 * @param maskedPaths     paths hidden from it, or {@code null} for containerd's defaults
 * @param readonlyPaths   paths it sees read-only, or {@code null} for containerd's defaults
 * @param seccompProfile  its system call filter: {@code runtime/default} (the default when
 *                        {@code null}), {@code unconfined}, or {@code localhost/PATH} for a profile
 *                        file in the OCI or docker JSON format at an absolute path
 * @param sysctls         namespaced kernel settings ({@code net.ipv4.ip_forward}) set in it
 * @param annotations     annotations written into its OCI runtime specification
 */
public record ContainerConfig(String image, String id, String name, String runtime, String snapshotter,
        List<String> command, List<String> entrypoint, List<String> env, String workdir, String user, String hostname,
        boolean terminal, boolean stdin, boolean stdinOnce, boolean readOnlyRootfs, String memoryLimit, String cpus,
        Long pidsLimit, List<String> capAdd, List<String> capDrop, boolean privileged, boolean noNewPrivileges,
        Path logPath, Map<String, String> labels, Namespaces namespaces, List<BindMount> mounts,
        List<DeviceMapping> devices, List<Long> supplementalGroups, String cgroupParent, Resources resources,
        Integer oomScoreAdj, List<String> maskedPaths, List<String> readonlyPaths, String seccompProfile,
        Map<String, String> sysctls, Map<String, String> annotations) {

    public ContainerConfig {
        Objects.requireNonNull(image, "image");
        command = command == null ? List.of() : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        env = env == null ? List.of() : List.copyOf(env);
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        namespaces = namespaces == null ? Namespaces.PRIVATE : namespaces;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        devices = devices == null ? List.of() : List.copyOf(devices);
        supplementalGroups = supplementalGroups == null ? List.of() : List.copyOf(supplementalGroups);
        resources = resources == null ? Resources.NONE : resources;
        maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
        readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
        sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        if (stdinOnce && !stdin) {
            throw new IllegalArgumentException("stdinOnce needs stdin");
        }
    }

    /** A configuration that takes everything from the image. */
    public static Builder of(String image) {
        return new Builder(image);
    }

    /** Builds a configuration one setting at a time, for callers that set only a few. */
    public static final class Builder {
        private final String image;
        private String id;
        private String name;
        private String runtime;
        private String snapshotter;
        private List<String> command;
        private List<String> entrypoint;
        private List<String> env;
        private String workdir;
        private String user;
        private String hostname;
        private boolean terminal;
        private boolean stdin;
        private boolean stdinOnce;
        private boolean readOnlyRootfs;
        private String memoryLimit;
        private String cpus;
        private Long pidsLimit;
        private List<String> capAdd;
        private List<String> capDrop;
        private boolean privileged;
        private boolean noNewPrivileges;
        private Path logPath;
        private Map<String, String> labels;
        private Namespaces namespaces;
        private List<BindMount> mounts;
        private List<DeviceMapping> devices;
        private List<Long> supplementalGroups;
        private String cgroupParent;
        private Resources resources;
        private Integer oomScoreAdj;
        private List<String> maskedPaths;
        private List<String> readonlyPaths;
        private String seccompProfile;
        private Map<String, String> sysctls;
        private Map<String, String> annotations;

        private Builder(String image) {
            this.image = Objects.requireNonNull(image, "image");
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder name(String name) { this.name = name; return this; }
        public Builder runtime(String runtime) { this.runtime = runtime; return this; }
        public Builder snapshotter(String snapshotter) { this.snapshotter = snapshotter; return this; }
        public Builder command(List<String> command) { this.command = command; return this; }
        public Builder entrypoint(List<String> entrypoint) { this.entrypoint = entrypoint; return this; }
        public Builder env(List<String> env) { this.env = env; return this; }
        public Builder workdir(String workdir) { this.workdir = workdir; return this; }
        public Builder user(String user) { this.user = user; return this; }
        public Builder hostname(String hostname) { this.hostname = hostname; return this; }
        public Builder terminal(boolean terminal) { this.terminal = terminal; return this; }
        public Builder stdin(boolean stdin) { this.stdin = stdin; return this; }
        public Builder stdinOnce(boolean stdinOnce) { this.stdinOnce = stdinOnce; return this; }
        public Builder readOnlyRootfs(boolean readOnlyRootfs) { this.readOnlyRootfs = readOnlyRootfs; return this; }
        public Builder memoryLimit(String memoryLimit) { this.memoryLimit = memoryLimit; return this; }
        public Builder cpus(String cpus) { this.cpus = cpus; return this; }
        public Builder pidsLimit(Long pidsLimit) { this.pidsLimit = pidsLimit; return this; }
        public Builder capAdd(List<String> capAdd) { this.capAdd = capAdd; return this; }
        public Builder capDrop(List<String> capDrop) { this.capDrop = capDrop; return this; }
        public Builder privileged(boolean privileged) { this.privileged = privileged; return this; }
        public Builder noNewPrivileges(boolean noNewPrivileges) { this.noNewPrivileges = noNewPrivileges; return this; }
        public Builder logPath(Path logPath) { this.logPath = logPath; return this; }
        public Builder labels(Map<String, String> labels) { this.labels = labels; return this; }
        public Builder namespaces(Namespaces namespaces) { this.namespaces = namespaces; return this; }
        public Builder mounts(List<BindMount> mounts) { this.mounts = mounts; return this; }
        public Builder devices(List<DeviceMapping> devices) { this.devices = devices; return this; }
        public Builder supplementalGroups(List<Long> groups) { this.supplementalGroups = groups; return this; }
        public Builder cgroupParent(String cgroupParent) { this.cgroupParent = cgroupParent; return this; }
        public Builder resources(Resources resources) { this.resources = resources; return this; }
        public Builder oomScoreAdj(Integer oomScoreAdj) { this.oomScoreAdj = oomScoreAdj; return this; }
        public Builder maskedPaths(List<String> maskedPaths) { this.maskedPaths = maskedPaths; return this; }
        public Builder readonlyPaths(List<String> readonlyPaths) { this.readonlyPaths = readonlyPaths; return this; }
        public Builder seccompProfile(String seccompProfile) { this.seccompProfile = seccompProfile; return this; }
        public Builder sysctls(Map<String, String> sysctls) { this.sysctls = sysctls; return this; }
        public Builder annotations(Map<String, String> annotations) { this.annotations = annotations; return this; }

        public ContainerConfig build() {
            return new ContainerConfig(image, id, name, runtime, snapshotter, command, entrypoint, env, workdir, user,
                    hostname, terminal, stdin, stdinOnce, readOnlyRootfs, memoryLimit, cpus, pidsLimit, capAdd, capDrop,
                    privileged, noNewPrivileges, logPath, labels, namespaces, mounts, devices, supplementalGroups,
                    cgroupParent, resources, oomScoreAdj, maskedPaths, readonlyPaths, seccompProfile, sysctls,
                    annotations);
        }
    }
}
