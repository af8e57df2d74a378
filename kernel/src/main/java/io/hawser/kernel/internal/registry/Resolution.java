package io.hawser.kernel.internal.registry;

import java.util.List;
import java.util.Objects;

import io.hawser.images.Descriptor;
import io.hawser.images.Reference;
import io.hawser.images.RegistryAuth;

/**
 * A reference resolved at a registry: the descriptor of its root (an index or a manifest), and
 * what the fetches of the blobs below it need.
 *
 * @param reference   the reference resolved
 * @param root        the index or manifest the reference points to
 * @param host        the host that answered
 * @param pullHosts   the hosts to fetch blobs from, the one that answered first, then the
 *                    other hosts that may be pulled from, in configured order
 * @param tried       the hosts tried before the one that answered, each with why it failed
 * @param credentials the credentials the caller gave for the registry, or {@code null}
 */
public record Resolution(Reference reference, Descriptor root, RegistryHost host, List<RegistryHost> pullHosts,
                         List<String> tried, RegistryAuth credentials) {

    public Resolution {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(host, "host");
        pullHosts = List.copyOf(pullHosts);
        tried = List.copyOf(tried);
    }
}
