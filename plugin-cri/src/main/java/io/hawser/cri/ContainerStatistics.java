package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.cri.api.v1.ContainerAttributes;
import io.hawser.cri.api.v1.ContainerFilter;
import io.hawser.cri.api.v1.ContainerMetadata;
import io.hawser.cri.api.v1.ContainerState;
import io.hawser.cri.api.v1.ContainerStats;
import io.hawser.cri.api.v1.ContainerStatsFilter;
import io.hawser.cri.api.v1.CpuUsage;
import io.hawser.cri.api.v1.FilesystemIdentifier;
import io.hawser.cri.api.v1.FilesystemUsage;
import io.hawser.cri.api.v1.MemoryUsage;
import io.hawser.cri.api.v1.ProcessUsage;
import io.hawser.cri.api.v1.PodSandboxStatsFilter;
import io.hawser.cri.api.v1.PodSandboxStats;
import io.hawser.cri.api.v1.PodSandboxStateValue;
import io.hawser.cri.api.v1.PodSandboxState;
import io.hawser.cri.api.v1.PodSandboxFilter;
import io.hawser.cri.api.v1.PodSandboxAttributes;
import io.hawser.cri.api.v1.PodSandbox;
import io.hawser.cri.api.v1.NetworkUsage;
import io.hawser.cri.api.v1.NetworkInterfaceUsage;
import io.hawser.cri.api.v1.LinuxPodSandboxStats;
import io.hawser.cri.api.v1.UInt64Value;
import io.hawser.errors.HawserException;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import io.hawser.snapshots.Snapshotters;
import io.hawser.snapshots.Usage;

/**
 * Container and pod stats as kubelet's summary API wants them: CPU and memory from the tasks'
 * cgroups while they run, the writable layer's use from the snapshotter, a pod's network counters
 * from its namespace.
 */
final class ContainerStatistics {

    /** Where a snapshotter keeps its data, as {@code ImageFsInfo} reports it. */
    interface SnapshotterRoots {
        Path root(String snapshotter);
    }

    private final PodContainers containers;
    private final PodSandboxes pods;
    private final ContainerService service;
    private final Snapshotters snapshotters;
    private final SnapshotterRoots roots;

    ContainerStatistics(PodContainers containers, PodSandboxes pods, ContainerService service, Snapshotters snapshotters,
                        SnapshotterRoots roots) {
        this.containers = containers;
        this.pods = pods;
        this.service = service;
        this.snapshotters = snapshotters;
        this.roots = roots;
    }

    ContainerStats of(String id) throws IOException {
        return stats(containers.container(id));
    }

    List<ContainerStats> list(ContainerStatsFilter filter) throws IOException {
        // stats are kubelet's view of what runs: exited containers have none to give
        ContainerFilter running = ContainerFilter.newBuilder()
                .setId(filter.getId())
                .setPodSandboxId(filter.getPodSandboxId())
                .putAllLabelSelector(filter.getLabelSelectorMap())
                .setState(io.hawser.cri.api.v1.ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
                .build();
        List<ContainerStats> stats = new ArrayList<>();
        for (io.hawser.cri.api.v1.Container listed : containers.list(running)) {
            Optional<Container> container = service.find(listed.getId());
            if (container.isPresent()) {
                stats.add(stats(container.get()));
            }
        }
        return stats;
    }

    /**
     * A pod's stats: the sums of its running containers' CPU, memory and processes, its
     * containers', and its network interfaces' counters as one of its processes sees them.
     */
    PodSandboxStats pod(String podId) throws IOException {
        PodSandbox pod = pods.list(PodSandboxFilter.newBuilder().setId(podId).build()).stream().findFirst()
                .orElseThrow(() -> HawserException.notFound("pod sandbox " + podId));
        return podStats(pod);
    }

    List<PodSandboxStats> pods(PodSandboxStatsFilter filter) throws IOException {
        PodSandboxFilter ready = PodSandboxFilter.newBuilder().setId(filter.getId())
                .putAllLabelSelector(filter.getLabelSelectorMap())
                .setState(PodSandboxStateValue.newBuilder().setState(PodSandboxState.SANDBOX_READY))
                .build();
        List<PodSandboxStats> stats = new ArrayList<>();
        for (PodSandbox pod : pods.list(ready)) {
            stats.add(podStats(pod));
        }
        return stats;
    }

    private PodSandboxStats podStats(PodSandbox pod) throws IOException {
        long now = nanos(Instant.now());
        long cpu = 0;
        long workingSet = 0;
        long usage = 0;
        long processes = 0;
        Optional<Long> anyPid = Optional.empty();
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder();
        for (io.hawser.cri.api.v1.Container listed : containers.list(ContainerFilter.newBuilder()
                .setPodSandboxId(pod.getId())
                .setState(io.hawser.cri.api.v1.ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_RUNNING))
                .build())) {
            Optional<Container> container = service.find(listed.getId());
            Optional<Task> task = container.isPresent() ? service.task(listed.getId()) : Optional.empty();
            if (task.isEmpty()) {
                continue;
            }
            Stats measured = task.get().stats();
            cpu += measured.cpuUsageNanos();
            workingSet += measured.memoryWorkingSetBytes();
            usage += measured.memoryUsageBytes();
            processes += measured.pids();
            if (anyPid.isEmpty()) {
                anyPid = Optional.of(task.get().pid());
            }
            linux.addContainers(stats(container.get()));
        }
        linux.setCpu(CpuUsage.newBuilder().setTimestamp(now).setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(cpu)))
                .setMemory(MemoryUsage.newBuilder().setTimestamp(now)
                        .setWorkingSetBytes(UInt64Value.newBuilder().setValue(workingSet))
                        .setUsageBytes(UInt64Value.newBuilder().setValue(usage)))
                .setProcess(ProcessUsage.newBuilder().setTimestamp(now)
                        .setProcessCount(UInt64Value.newBuilder().setValue(processes)));
        if (anyPid.isPresent()) {
            network(anyPid.get(), now).ifPresent(linux::setNetwork);
        }
        return PodSandboxStats.newBuilder()
                .setAttributes(PodSandboxAttributes.newBuilder()
                        .setId(pod.getId())
                        .setMetadata(pod.getMetadata())
                        .putAllLabels(pod.getLabelsMap())
                        .putAllAnnotations(pod.getAnnotationsMap()))
                .setLinux(linux)
                .build();
    }

    /**
     * The interfaces' counters in a process's network namespace, from its {@code /proc/PID/net/dev}
     * (no need to enter the namespace); the pod's own interface is the default one.
     */
    static Optional<NetworkUsage> network(long pid, long now) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "dev"));
        } catch (IOException gone) {
            return Optional.empty();
        }
        return Optional.of(networkUsage(lines, now));
    }

    /** Parses {@code /proc/net/dev}: after {@code NAME:}, 8 receive counters, then 8 transmit counters. */
    static NetworkUsage networkUsage(List<String> lines, long now) {
        NetworkUsage.Builder usage = NetworkUsage.newBuilder().setTimestamp(now);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String[] fields = line.substring(colon + 1).strip().split("\\s+");
            if (name.equals("lo") || fields.length < 11) {
                continue;
            }
            NetworkInterfaceUsage counters = NetworkInterfaceUsage.newBuilder()
                    .setName(name)
                    .setRxBytes(UInt64Value.newBuilder().setValue(Long.parseLong(fields[0])))
                    .setRxErrors(UInt64Value.newBuilder().setValue(Long.parseLong(fields[2])))
                    .setTxBytes(UInt64Value.newBuilder().setValue(Long.parseLong(fields[8])))
                    .setTxErrors(UInt64Value.newBuilder().setValue(Long.parseLong(fields[10])))
                    .build();
            if (name.equals(PodSandboxes.POD_INTERFACE)) {
                usage.setDefaultInterface(counters);
            }
            usage.addInterfaces(counters);
        }
        return usage.build();
    }

    private ContainerStats stats(Container container) throws IOException {
        PodContainers.Meta meta = containers.meta(container);
        long now = nanos(Instant.now());
        ContainerStats.Builder stats = ContainerStats.newBuilder().setAttributes(ContainerAttributes.newBuilder()
                .setId(container.id())
                .setMetadata(ContainerMetadata.newBuilder().setName(meta.name()).setAttempt(meta.attempt()))
                .putAllLabels(meta.labels())
                .putAllAnnotations(meta.annotations()));
        Optional<Task> task = service.task(container.id());
        if (task.isPresent() && task.get().state().status() != TaskState.Status.STOPPED) {
            Stats measured = task.get().stats();
            long at = nanos(measured.timestamp());
            stats.setCpu(CpuUsage.newBuilder().setTimestamp(at)
                    .setUsageCoreNanoSeconds(UInt64Value.newBuilder().setValue(measured.cpuUsageNanos())));
            MemoryUsage.Builder memory = MemoryUsage.newBuilder().setTimestamp(at)
                    .setWorkingSetBytes(UInt64Value.newBuilder().setValue(measured.memoryWorkingSetBytes()))
                    .setUsageBytes(UInt64Value.newBuilder().setValue(measured.memoryUsageBytes()));
            if (measured.memoryLimitBytes() >= 0) {
                memory.setAvailableBytes(UInt64Value.newBuilder()
                        .setValue(Math.max(0, measured.memoryLimitBytes() - measured.memoryWorkingSetBytes())));
            }
            stats.setMemory(memory);
        }
        Usage usage = snapshotters.get(container.snapshotter()).usage(container.snapshotKey());
        stats.setWritableLayer(FilesystemUsage.newBuilder().setTimestamp(now)
                .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(roots.root(container.snapshotter()).toString()))
                .setUsedBytes(UInt64Value.newBuilder().setValue(usage.size()))
                .setInodesUsed(UInt64Value.newBuilder().setValue(usage.inodes())));
        return stats.build();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
