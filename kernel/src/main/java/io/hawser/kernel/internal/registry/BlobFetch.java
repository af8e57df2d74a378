package io.hawser.kernel.internal.registry;

import java.util.List;

/**
 * How a blob was fetched, for progress and logs.
 *
 * @param host        the host that served it
 * @param resumedFrom the offset the download continued from; 0 when the whole blob was sent
 * @param tried       the hosts tried before, each with why it failed
 */
public record BlobFetch(RegistryHost host, long resumedFrom, List<String> tried) {

    public BlobFetch {
        tried = List.copyOf(tried);
    }
}
