package io.hawser.runtime;

import java.util.Map;

/**
 * Resource limits of a task, for {@link Task#update}. Every field is optional: {@code null} leaves
 * the current setting as it is, so an update names only what changes. The fields follow the OCI
 * runtime specification's Linux resources and CRI's {@code LinuxContainerResources}; a runtime maps
 * them to cgroup v1 or v2 files, or, for a VM, also resizes the guest.
 *
 * @param memoryLimitBytes   the memory limit; -1 for none
 * @param memorySwapBytes    the memory plus swap limit; -1 for none
 * @param cpuShares          the relative CPU weight, in cgroup v1 shares (2 to 262144)
 * @param cpuQuotaMicros     CPU time allowed per period, in microseconds; -1 for none
 * @param cpuPeriodMicros    the period the quota applies to, in microseconds
 * @param cpusetCpus         the CPUs allowed, in cpuset list syntax ({@code 0-3,6})
 * @param cpusetMems         the memory nodes allowed, in cpuset list syntax
 * @param pidsLimit          the most processes at once; -1 for none
 * @param hugepageLimitBytes limits per huge page size, keyed by size as the kernel names it
 *                           ({@code 2MB}, {@code 1GB})
 * @param unified            raw cgroup v2 settings by file name, applied last; ignored on cgroup v1
 */
public record Resources(Long memoryLimitBytes, Long memorySwapBytes, Long cpuShares, Long cpuQuotaMicros,
        Long cpuPeriodMicros, String cpusetCpus, String cpusetMems, Long pidsLimit,
        Map<String, Long> hugepageLimitBytes, Map<String, String> unified) {

    /** An update that changes nothing. */
    public static final Resources NONE = new Resources(null, null, null, null, null, null, null, null, null, null);

    public Resources {
        hugepageLimitBytes = hugepageLimitBytes == null ? Map.of() : Map.copyOf(hugepageLimitBytes);
        unified = unified == null ? Map.of() : Map.copyOf(unified);
        limitOrUnlimited("memory limit", memoryLimitBytes);
        limitOrUnlimited("memory+swap limit", memorySwapBytes);
        limitOrUnlimited("cpu quota", cpuQuotaMicros);
        limitOrUnlimited("pids limit", pidsLimit);
        if (cpuShares != null && (cpuShares < 2 || cpuShares > 262144)) {
            throw new IllegalArgumentException("cpu shares must be 2..262144, got " + cpuShares);
        }
        if (cpuPeriodMicros != null && cpuPeriodMicros <= 0) {
            throw new IllegalArgumentException("cpu period must be positive, got " + cpuPeriodMicros);
        }
        hugepageLimitBytes.forEach((size, limit) -> {
            if (limit < 0) {
                throw new IllegalArgumentException("hugepage limit for " + size + " must not be negative, got " + limit);
            }
        });
    }

    private static void limitOrUnlimited(String what, Long value) {
        if (value != null && value < -1) {
            throw new IllegalArgumentException(what + " must be a limit or -1 for none, got " + value);
        }
    }
}
