package io.hawser.kernel.internal.registry;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON reader the registry package shares, made when first used (it is thread-safe for
 * reading). The first mapper of a daemon loads some 400 Jackson classes; made in a constructor,
 * it delayed the start of {@link RegistryClient#prepare} by that much in a fresh daemon.
 */
final class RegistryJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private RegistryJson() {}
}
