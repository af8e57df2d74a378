package io.hawser.containers;

import java.util.List;

/**
 * Who a process runs as, as the OCI runtime specification's {@code process.user} has it.
 *
 * @param additionalGids the supplementary groups, without the primary one
 */
public record ProcessUser(long uid, long gid, List<Long> additionalGids) {
    public ProcessUser {
        additionalGids = List.copyOf(additionalGids);
    }
}
