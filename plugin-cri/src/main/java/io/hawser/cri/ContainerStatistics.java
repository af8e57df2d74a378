package io.hawser.cri;

import java.io.IOException;
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
import io.hawser.cri.api.v1.UInt64Value;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import io.hawser.snapshots.Snapshotters;
import io.hawser.snapshots.Usage;

/**
 * Container stats as kubelet's summary API wants them: CPU and memory from the task's cgroup while
 * it runs, and the writable layer's use from the snapshotter.
 */
final class ContainerStatistics {

    /** Where a snapshotter keeps its data, as {@code ImageFsInfo} reports it. */
    interface SnapshotterRoots {
        Path root(String snapshotter);
    }

    private final PodContainers containers;
    private final ContainerService service;
    private final Snapshotters snapshotters;
    private final SnapshotterRoots roots;

    ContainerStatistics(PodContainers containers, ContainerService service, Snapshotters snapshotters, SnapshotterRoots roots) {
        this.containers = containers;
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
