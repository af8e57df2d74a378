package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What the daemon's own process may pass on to a container. The runtime starts the container as a
 * descendant of the daemon, so it cannot grant more than the daemon holds: without
 * {@code CAP_SYS_RESOURCE} the kernel refuses an {@code oom_score_adj} below the daemon's own and a
 * {@code RLIMIT_NOFILE} above the daemon's hard limit, and a capability the daemon lacks cannot be
 * given at all (runc then fails with an unhelpful message).
 *
 * @param oomScoreAdj     the daemon's {@code oom_score_adj}, -1000 to 1000
 * @param nofileHardLimit the daemon's hard {@code RLIMIT_NOFILE}; {@link Long#MAX_VALUE} for unlimited
 * @param capabilities    the daemon's effective capabilities
 */
public record HostFacts(int oomScoreAdj, long nofileHardLimit, Set<Capability> capabilities) {

    public HostFacts {
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new IllegalArgumentException("oom_score_adj must be -1000..1000, got " + oomScoreAdj);
        }
        if (nofileHardLimit < 0) {
            throw new IllegalArgumentException("nofile hard limit must not be negative, got " + nofileHardLimit);
        }
        capabilities = Set.copyOf(capabilities);
    }

    /** The facts of the calling process, from {@code /proc/self}. */
    public static HostFacts ofThisProcess() throws IOException {
        Path self = Path.of("/proc/self");
        return new HostFacts(
                Integer.parseInt(Files.readString(self.resolve("oom_score_adj")).strip()),
                nofileHardLimit(Files.readString(self.resolve("limits"))),
                Capability.fromMask(effectiveCapabilities(Files.readString(self.resolve("status")))));
    }

    /** The hard limit on the "Max open files" line of a {@code /proc/<pid>/limits} text. */
    static long nofileHardLimit(String limits) throws IOException {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                // columns: name (several words), soft limit, hard limit, units
                String[] fields = line.substring("Max open files".length()).strip().split("\\s+");
                if (fields.length >= 2) {
                    return fields[1].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(fields[1]);
                }
            }
        }
        throw new IOException("no 'Max open files' line in /proc/self/limits");
    }

    /** The bit mask on the {@code CapEff:} line of a {@code /proc/<pid>/status} text. */
    static long effectiveCapabilities(String status) throws IOException {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
            }
        }
        throw new IOException("no 'CapEff:' line in /proc/self/status");
    }
}
