package io.hawser.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * Resource use of a task at one moment, as CRI's container stats and Prometheus want it.
 *
 * @param timestamp              when it was measured
 * @param cpuUsageNanos          CPU time used since the task started, user and system, in nanoseconds
 * @param memoryUsageBytes       memory charged to the task, page cache included
 * @param memoryWorkingSetBytes  memory the task actively uses: usage less inactive file cache,
 *                               what kubelet evicts on
 * @param memoryLimitBytes       the memory limit in effect, or -1 for none
 * @param pids                   the number of processes
 */
public record Stats(Instant timestamp, long cpuUsageNanos, long memoryUsageBytes, long memoryWorkingSetBytes,
        long memoryLimitBytes, long pids) {

    public Stats {
        Objects.requireNonNull(timestamp, "timestamp");
        if (cpuUsageNanos < 0 || memoryUsageBytes < 0 || memoryWorkingSetBytes < 0 || pids < 0 || memoryLimitBytes < -1) {
            throw new IllegalArgumentException("stats must not be negative: cpu " + cpuUsageNanos + " ns, memory "
                    + memoryUsageBytes + ", working set " + memoryWorkingSetBytes + ", limit " + memoryLimitBytes
                    + ", pids " + pids);
        }
    }
}
