package io.hawser.kernel.internal.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One place a registry's content can be fetched from: the registry's own server or a mirror of
 * it, as a {@code hosts.toml} file (or the defaults) describes it.
 *
 * @param root         the API root every request path is appended to, for example
 *                     {@code https://registry-1.docker.io/v2}
 * @param capabilities what the host may be asked: resolving tags, pulling blobs
 * @param skipVerify   whether to accept any TLS certificate
 * @param caFiles      PEM files of further certificate authorities to trust
 * @param headers      headers sent with every request to the host
 * @param mirror       whether the host is a mirror rather than the registry's own server
 */
public record RegistryHost(URI root, Set<Capability> capabilities, boolean skipVerify, List<Path> caFiles,
                           Map<String, List<String>> headers, boolean mirror) {

    /** What a host may be asked, as {@code hosts.toml} names it. */
    public enum Capability {
        /** Fetch manifests and blobs by digest. */
        PULL,
        /** Turn a tag into a digest. */
        RESOLVE,
        /** Upload; Hawser never pushes, but operators' files name it. */
        PUSH
    }

    public RegistryHost {
        Objects.requireNonNull(root, "root");
        capabilities = Set.copyOf(capabilities);
        caFiles = List.copyOf(caFiles);
        headers = Map.copyOf(headers);
        if (!"http".equals(root.getScheme()) && !"https".equals(root.getScheme())) {
            throw new IllegalArgumentException("registry host " + root + " must be http or https");
        }
    }

    /** {@code host:port} as credentials files and token caches key it. */
    public String authority() {
        return root.getRawAuthority();
    }

    /** Whether requests go over plain HTTP. */
    public boolean plainHttp() {
        return "http".equals(root.getScheme());
    }

    /** Whether the host may be asked for {@code capability}. */
    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }

    /** A request URL below the API root, for example {@code library/busybox/manifests/latest}. */
    URI resolve(String relativePath) {
        String base = root.toString();
        return URI.create(base.endsWith("/") ? base + relativePath : base + "/" + relativePath);
    }

    @Override
    public String toString() {
        return (mirror ? "mirror " : "") + root;
    }
}
