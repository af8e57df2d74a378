package io.hawser.cri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hawser.cri.api.v1.DNSConfig;
import io.hawser.cri.api.v1.LinuxPodSandboxStatus;
import io.hawser.cri.api.v1.Namespace;
import io.hawser.cri.api.v1.NamespaceMode;
import io.hawser.cri.api.v1.NamespaceOption;
import io.hawser.cri.api.v1.PodIP;
import io.hawser.cri.api.v1.PodSandbox;
import io.hawser.cri.api.v1.PodSandboxConfig;
import io.hawser.cri.api.v1.PodSandboxFilter;
import io.hawser.cri.api.v1.PodSandboxNetworkStatus;
import io.hawser.cri.api.v1.PodSandboxState;
import io.hawser.cri.api.v1.PodSandboxStatus;
import io.hawser.cri.api.v1.PodSandboxStatusResponse;
import io.hawser.cri.api.v1.PortMapping;
import io.hawser.cri.cni.Cni;
import io.hawser.cri.cni.NetworkConfig;
import io.hawser.errors.HawserException;
import io.hawser.sandboxes.SandboxRecord;
import io.hawser.sandboxes.SandboxStore;

/**
 * Pod sandboxes without an infra container: a directory {@code <state>/pods/<id>/} holding the
 * pinned network, IPC and UTS namespaces ({@link PodNamespaces}), the pod's {@code resolv.conf} and
 * {@code hostname} files its containers bind, and a record in the metadata database holding what
 * the pod was asked for and what it got (the CNI network and result, its IPs), so a restarted
 * daemon lists it and can tear it down.
 *
 * <p>Run records the pod first (not ready), then sets up files, namespaces and networks, then marks
 * it ready; a failure tears down what was set up and removes the record, and a crash in between
 * leaves a not-ready pod that stop and remove clean up. Stop detaches the networks (CNI DEL) and
 * unpins the namespaces, remove also deletes the directory and the record; both may be repeated.
 */
final class PodSandboxes {

    static final String READY = "ready";
    static final String NOT_READY = "notready";
    /** The pod's interface in its network namespace, as kubelet expects it. */
    static final String POD_INTERFACE = "eth0";
    private static final Path NODE_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxStore store;
    private final Path podsDirectory;
    private final Path cniConfDirectory;
    private final Cni cni;
    private final Path hostResolvConf;
    private final Path pause;
    // one pod's run, stop and remove never overlap; different pods go in parallel
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ReentrantLock names = new ReentrantLock();

    /**
     * @param pause the pause program of pods whose containers share one PID namespace
     */
    PodSandboxes(SandboxStore store, Path podsDirectory, Path cniConfDirectory, Cni cni, Path hostResolvConf, Path pause) {
        this.store = store;
        this.podsDirectory = podsDirectory;
        this.cniConfDirectory = cniConfDirectory;
        this.cni = cni;
        this.hostResolvConf = hostResolvConf;
        this.pause = pause;
    }

    /**
     * A pod as its containers see it.
     *
     * @param id        the pod's id
     * @param runtime   the runtime handler its containers run on
     * @param directory its directory: pinned namespaces, {@code resolv.conf}, {@code hostname}
     * @param pod       what is recorded of it
     */
    record Member(String id, String runtime, Path directory, Pod pod) {
        Path namespace(String kind) {
            return directory.resolve(kind);
        }
    }

    /** What happens to a pod's containers when the pod stops or goes. */
    interface Containers {
        /** Stops every container of the pod at once (the pod's own stop has no grace period). */
        void stopAll(String podId) throws IOException;

        /** Removes every container of the pod. */
        void removeAll(String podId) throws IOException;
    }

    private volatile Containers containers;

    /** Makes stop and remove take the pod's containers with them. */
    void containers(Containers containers) {
        this.containers = containers;
    }

    /** The pod an id or unique id prefix names, if there is one. */
    Optional<Member> member(String id) throws IOException {
        Optional<SandboxRecord> record = lookup(id);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Member(record.get().id(), record.get().runtime(), podsDirectory.resolve(record.get().id()),
                decode(record.get())));
    }

    /** The network configuration pods get now, if the configuration directory has one. */
    Optional<NetworkConfig> network() throws IOException {
        return NetworkConfig.firstIn(cniConfDirectory);
    }

    Path cniConfDirectory() {
        return cniConfDirectory;
    }

    /** What is recorded of one pod, the JSON document of its sandbox record. */
    record Pod(String state, long createdNanos, String config, boolean hostNetwork, boolean hostIpc,
               String network, JsonNode cniResult, List<String> ips) {

        PodSandboxConfig podConfig() {
            try {
                return PodSandboxConfig.parseFrom(Base64.getDecoder().decode(config));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("sandbox record holds a malformed pod configuration", e);
            }
        }

        Pod with(String newState, String newNetwork, JsonNode newResult, List<String> newIps) {
            return new Pod(newState, createdNanos, config, hostNetwork, hostIpc, newNetwork, newResult, newIps);
        }

        boolean ready() {
            return READY.equals(state);
        }
    }

    String run(PodSandboxConfig config, String runtimeHandler) throws IOException {
        if (config.getMetadata().getName().isEmpty()) {
            throw Calls.invalid("config.metadata.name", "must not be empty");
        }
        if (config.getMetadata().getNamespace().isEmpty()) {
            throw Calls.invalid("config.metadata.namespace", "must not be empty");
        }
        NamespaceOption namespaces = config.getLinux().getSecurityContext().getNamespaceOptions();
        boolean hostNetwork = namespaces.getNetwork() == NamespaceMode.NODE;
        boolean hostIpc = namespaces.getIpc() == NamespaceMode.NODE;
        Optional<NetworkConfig> network = hostNetwork ? Optional.empty() : network();
        if (!hostNetwork && network.isEmpty()) {
            throw HawserException.failedPrecondition("no CNI network configuration in " + cniConfDirectory
                    + ": only host-network pods can run");
        }
        String id = HexFormat.of().formatHex(randomBytes());
        Pod pod = new Pod(NOT_READY, nanos(Instant.now()), Base64.getEncoder().encodeToString(config.toByteArray()),
                hostNetwork, hostIpc, null, null, List.of());
        names.lock();
        try {
            String name = fullName(config);
            for (SandboxRecord other : store.list()) {
                if (fullName(decode(other).podConfig()).equals(name)) {
                    throw HawserException.alreadyExists("pod sandbox name " + name + " (sandbox " + other.id() + ")");
                }
            }
            store.create(id, runtimeHandler, encode(pod), config.getLabelsMap());
        } finally {
            names.unlock();
        }
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Path directory = podsDirectory.resolve(id);
            try {
                Files.createDirectories(directory);
                writeFiles(directory, config, hostNetwork);
                PodNamespaces.create(directory, !hostNetwork, !hostIpc, !hostNetwork, hostname(config));
                if (namespaces.getPid() == NamespaceMode.POD) {
                    PodNamespaces.startPause(directory, pause);
                }
                if (network.isPresent()) {
                    NetworkConfig attached = network.get();
                    // recorded before the ADD so a crash during it still finds the network to DEL
                    pod = pod.with(NOT_READY, attached.toConflist(), null, List.of());
                    store.update(id, encode(pod));
                    cni.add(Cni.LOOPBACK, attachment(id, directory, "lo", config), JSON.createObjectNode());
                    JsonNode result = cni.add(attached, attachment(id, directory, POD_INTERFACE, config), runtimeConfig(config));
                    pod = pod.with(NOT_READY, attached.toConflist(), result, Cni.addresses(result));
                }
                // after the network, so sysctls of the pod's interfaces find them
                PodNamespaces.applySysctls(directory, config.getLinux().getSysctlsMap());
                pod = pod.with(READY, pod.network(), pod.cniResult(), pod.ips());
                store.update(id, encode(pod));
                return id;
            } catch (IOException | RuntimeException e) {
                undo(id, pod, directory, e);
                throw e;
            }
        } finally {
            // the lock stays until the pod is removed: a stop may already be waiting on it
            lock.unlock();
        }
    }

    /**
     * Undoes a run that failed: unlike a stop, a DEL that fails (the plugin that made the run fail
     * may be the one missing) does not keep the namespaces and the record, since kubelet will
     * never stop a pod whose run it saw fail. Each step's failure is added to the run's.
     */
    private void undo(String id, Pod pod, Path directory, Exception failure) {
        if (pod.network() != null) {
            try {
                detach(id, pod);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        try {
            PodNamespaces.remove(directory);
            deleteDirectory(directory);
            store.remove(id);
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /**
     * Stops a pod: its networks detached, its namespaces unpinned. A pod that is not there is
     * stopped already (the CRI asks this of stop as of remove: kubelet retries both).
     */
    void stop(String id) throws IOException {
        underLock(id, (podId, pod) -> {
            if (containers != null) {
                containers.stopAll(podId);
            }
            tearDown(podId, pod);
            store.update(podId, encode(pod.with(NOT_READY, null, null, pod.ips())));
        });
    }

    /** Removes a pod, stopping it first; a pod that is not there is removed already. */
    void remove(String id) throws IOException {
        underLock(id, (podId, pod) -> {
            if (containers != null) {
                containers.removeAll(podId);
            }
            tearDown(podId, pod);
            deleteDirectory(podsDirectory.resolve(podId));
            store.remove(podId);
            locks.remove(podId);
        });
    }

    /** Work on one recorded pod. */
    @FunctionalInterface
    private interface PodWork {
        void run(String id, Pod pod) throws IOException;
    }

    /**
     * Runs work on the pod an id (or unique id prefix) names, holding the pod's lock and with its
     * record read under it; does nothing when there is no such pod, before or after waiting.
     */
    private void underLock(String id, PodWork work) throws IOException {
        Optional<SandboxRecord> found = lookup(id);
        if (found.isEmpty()) {
            return;
        }
        ReentrantLock lock = lock(found.get().id());
        lock.lock();
        try {
            Optional<SandboxRecord> current = store.get(found.get().id());
            if (current.isPresent()) {
                work.run(current.get().id(), decode(current.get()));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Detaches the networks and unpins the namespaces; what is already gone is skipped. */
    private void tearDown(String id, Pod pod) throws IOException {
        if (pod.network() != null) {
            // a failed DEL throws before the namespaces are unpinned, so the next stop or remove
            // repeats it with everything in place
            detach(id, pod);
        }
        PodNamespaces.remove(podsDirectory.resolve(id));
    }

    /**
     * CNI DEL of the pod's network. It also runs when the namespace is already gone: host-local's
     * reservation and portmap's rules live outside it, and plugins accept a missing namespace on DEL.
     */
    private void detach(String id, Pod pod) throws IOException {
        PodSandboxConfig config = pod.podConfig();
        NetworkConfig network = NetworkConfig.fromConflist(pod.network(), Path.of("sandbox " + id));
        cni.delete(network, attachment(id, podsDirectory.resolve(id), POD_INTERFACE, config), runtimeConfig(config), pod.cniResult());
    }

    PodSandboxStatusResponse status(String id, boolean verbose) throws IOException {
        SandboxRecord record = find(id);
        Pod pod = decode(record);
        PodSandboxConfig config = pod.podConfig();
        PodSandboxNetworkStatus.Builder network = PodSandboxNetworkStatus.newBuilder();
        if (!pod.ips().isEmpty()) {
            network.setIp(pod.ips().getFirst());
            pod.ips().stream().skip(1).forEach(ip -> network.addAdditionalIps(PodIP.newBuilder().setIp(ip)));
        }
        NamespaceOption asked = config.getLinux().getSecurityContext().getNamespaceOptions();
        PodSandboxStatus status = PodSandboxStatus.newBuilder()
                .setId(record.id())
                .setMetadata(config.getMetadata())
                .setState(pod.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY)
                .setCreatedAt(pod.createdNanos())
                .setNetwork(network)
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder().setOptions(asked)))
                .putAllLabels(config.getLabelsMap())
                .putAllAnnotations(config.getAnnotationsMap())
                .setRuntimeHandler(record.runtime())
                .build();
        PodSandboxStatusResponse.Builder response = PodSandboxStatusResponse.newBuilder()
                .setStatus(status)
                .setTimestamp(nanos(Instant.now()));
        if (verbose) {
            Path directory = podsDirectory.resolve(record.id());
            ObjectNode info = JSON.createObjectNode();
            info.put("directory", directory.toString());
            info.put("netns", pod.hostNetwork() ? "" : directory.resolve(PodNamespaces.NET).toString());
            info.put("ipcns", pod.hostIpc() ? "" : directory.resolve(PodNamespaces.IPC).toString());
            info.put("utsns", pod.hostNetwork() ? "" : directory.resolve(PodNamespaces.UTS).toString());
            info.put("resolvConf", directory.resolve("resolv.conf").toString());
            info.put("hostname", directory.resolve("hostname").toString());
            info.put("hostNetwork", pod.hostNetwork());
            if (pod.network() != null) {
                info.set("cniNetwork", JSON.readTree(pod.network()));
            }
            if (pod.cniResult() != null) {
                info.set("cniResult", pod.cniResult());
            }
            response.putInfo("info", info.toString());
        }
        return response.build();
    }

    List<PodSandbox> list(PodSandboxFilter filter) throws IOException {
        List<PodSandbox> pods = new ArrayList<>();
        for (SandboxRecord record : store.list()) {
            if (!filter.getId().isEmpty() && !record.id().startsWith(filter.getId())) {
                continue;
            }
            Pod pod = decode(record);
            PodSandboxState state = pod.ready() ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
            if (filter.hasState() && filter.getState().getState() != state) {
                continue;
            }
            PodSandboxConfig config = pod.podConfig();
            if (!config.getLabelsMap().entrySet().containsAll(filter.getLabelSelectorMap().entrySet())) {
                continue;
            }
            pods.add(PodSandbox.newBuilder()
                    .setId(record.id())
                    .setMetadata(config.getMetadata())
                    .setState(state)
                    .setCreatedAt(pod.createdNanos())
                    .putAllLabels(config.getLabelsMap())
                    .putAllAnnotations(config.getAnnotationsMap())
                    .setRuntimeHandler(record.runtime())
                    .build());
        }
        return pods;
    }

    /** The record of an id or of the one id it is a unique prefix of. */
    private Optional<SandboxRecord> lookup(String id) throws IOException {
        if (id.isEmpty()) {
            throw Calls.invalid("pod_sandbox_id", "must not be empty");
        }
        Optional<SandboxRecord> exact = store.get(id);
        if (exact.isPresent()) {
            return exact;
        }
        List<SandboxRecord> matches = store.list().stream().filter(r -> r.id().startsWith(id)).toList();
        if (matches.size() > 1) {
            throw HawserException.invalidArgument("pod sandbox id prefix " + id + " is ambiguous");
        }
        return matches.stream().findFirst();
    }

    private SandboxRecord find(String id) throws IOException {
        return lookup(id).orElseThrow(() -> HawserException.notFound("pod sandbox " + id));
    }

    private ReentrantLock lock(String id) {
        return locks.computeIfAbsent(id, key -> new ReentrantLock());
    }

    /**
     * The files the pod's containers will bind: {@code resolv.conf} from the DNS config (the
     * host's own when the pod asks for none or uses the host network, as kubelet expects) and
     * {@code hostname}.
     */
    private void writeFiles(Path directory, PodSandboxConfig config, boolean hostNetwork) throws IOException {
        DNSConfig dns = config.getDnsConfig();
        boolean asked = dns.getServersCount() + dns.getSearchesCount() + dns.getOptionsCount() > 0;
        String resolvConf;
        if (asked) {
            resolvConf = resolvConf(dns);
        } else {
            resolvConf = Files.isRegularFile(hostResolvConf) ? Files.readString(hostResolvConf) : "";
        }
        Files.writeString(directory.resolve("resolv.conf"), resolvConf, StandardCharsets.UTF_8);
        String hostname = hostNetwork ? Files.readString(NODE_HOSTNAME).strip() : hostname(config);
        Files.writeString(directory.resolve("hostname"), hostname + "\n", StandardCharsets.UTF_8);
    }

    static String resolvConf(DNSConfig dns) {
        StringBuilder text = new StringBuilder();
        if (dns.getSearchesCount() > 0) {
            text.append("search ").append(String.join(" ", dns.getSearchesList())).append('\n');
        }
        dns.getServersList().forEach(server -> text.append("nameserver ").append(server).append('\n'));
        if (dns.getOptionsCount() > 0) {
            text.append("options ").append(String.join(" ", dns.getOptionsList())).append('\n');
        }
        return text.toString();
    }

    /** The pod's hostname: the one asked for, else the node's, as containerd does. */
    static String hostname(PodSandboxConfig config) throws IOException {
        return config.getHostname().isEmpty() ? Files.readString(NODE_HOSTNAME).strip() : config.getHostname();
    }

    /** Kubelet's identity of a pod attempt: no two sandboxes may share it. */
    static String fullName(PodSandboxConfig config) {
        var metadata = config.getMetadata();
        return metadata.getName() + "_" + metadata.getNamespace() + "_" + metadata.getUid() + "_" + metadata.getAttempt();
    }

    private static Cni.Attachment attachment(String id, Path directory, String ifName, PodSandboxConfig config) {
        var metadata = config.getMetadata();
        return new Cni.Attachment(id, directory.resolve(PodNamespaces.NET), ifName, Map.of(
                "K8S_POD_NAMESPACE", metadata.getNamespace(),
                "K8S_POD_NAME", metadata.getName(),
                "K8S_POD_INFRA_CONTAINER_ID", id,
                "K8S_POD_UID", metadata.getUid()));
    }

    /** The runtime values of the CNI capabilities the CRI knows: port mappings for portmap. */
    static ObjectNode runtimeConfig(PodSandboxConfig config) {
        ObjectNode runtime = JSON.createObjectNode();
        ArrayNode ports = JSON.createArrayNode();
        for (PortMapping mapping : config.getPortMappingsList()) {
            if (mapping.getHostPort() <= 0) {
                // a port the pod only declares is no mapping
                continue;
            }
            ObjectNode port = ports.addObject();
            port.put("hostPort", mapping.getHostPort());
            port.put("containerPort", mapping.getContainerPort());
            port.put("protocol", mapping.getProtocol().name().toLowerCase(java.util.Locale.ROOT));
            if (!mapping.getHostIp().isEmpty()) {
                port.put("hostIP", mapping.getHostIp());
            }
        }
        if (!ports.isEmpty()) {
            runtime.set("portMappings", ports);
        }
        return runtime;
    }

    private static void deleteDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }

    private static String encode(Pod pod) throws IOException {
        return JSON.writeValueAsString(pod);
    }

    private static Pod decode(SandboxRecord record) throws IOException {
        return JSON.readValue(record.spec(), Pod.class);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
