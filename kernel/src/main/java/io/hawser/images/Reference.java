package io.hawser.images;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import io.hawser.content.Digest;
import io.hawser.errors.HawserException;

/**
 * An image reference in the canonical form Docker and containerd normalize to:
 * {@code domain/path[:tag][@digest]}, for example {@code docker.io/library/busybox:latest} or
 * {@code localhost:5000/team/app@sha256:…}.
 *
 * <p>{@link #parse} accepts the short forms people type: a name without a registry is on Docker
 * Hub ({@code docker.io}), a single-component Docker Hub name is in its {@code library}
 * namespace, and a reference with neither tag nor digest means the tag {@code latest}. A
 * reference that gives both a tag and a digest keeps both; the digest decides what is pulled and
 * the tag is kept as the name people know.
 *
 * @param domain the registry host, with port if any: {@code docker.io}, {@code localhost:5000},
 *               {@code [::1]:5000}
 * @param path   the repository path inside the registry, lower case: {@code library/busybox}
 * @param tag    the tag, or the empty string when the reference has only a digest
 * @param digest the digest the reference pins, or {@code null}
 */
public record Reference(String domain, String path, String tag, Digest digest) {

    /** The registry of names written without one. */
    public static final String DOCKER_HUB = "docker.io";
    /** The tag of names written with neither tag nor digest. */
    public static final String DEFAULT_TAG = "latest";

    /** Longest name (domain and path) Docker accepts. */
    private static final int MAX_NAME_LENGTH = 255;
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final String OFFICIAL_NAMESPACE = "library/";

    // the grammar of the distribution project's reference package
    private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]");
    private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]+");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    public Reference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        tag = tag == null ? "" : tag;
        if (domain.isEmpty() || path.isEmpty()) {
            throw new IllegalArgumentException("reference needs a domain and a path, got '" + domain + "/" + path + "'");
        }
        if (tag.isEmpty() && digest == null) {
            throw new IllegalArgumentException("reference " + domain + "/" + path + " needs a tag or a digest");
        }
    }

    /**
     * Parses and normalizes a reference.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming what is wrong: an empty reference,
     *                         upper case in the repository, an invalid path component, domain,
     *                         tag or digest, a name over 255 characters, or a bare image ID
     */
    public static Reference parse(String reference) throws HawserException {
        Objects.requireNonNull(reference, "reference");
        if (reference.isEmpty()) {
            throw invalid(reference, "it is empty");
        }
        String rest = reference;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = parseDigest(reference, rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = "";
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        // a colon after the last slash separates the tag; one before it is the domain's port
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(reference, "tag '" + tag + "' must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
            }
        }
        if (rest.isEmpty()) {
            throw invalid(reference, "it has no repository name");
        }
        if (IMAGE_ID.matcher(rest).matches() && tag.isEmpty() && digest == null) {
            throw invalid(reference, "a 64-hex-digit string is an image ID, not a repository name");
        }
        String domain = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0 && looksLikeDomain(rest.substring(0, slash))) {
            domain = rest.substring(0, slash);
            path = rest.substring(slash + 1);
            checkDomain(reference, domain);
        }
        if (domain.equals(LEGACY_DOCKER_HUB)) {
            domain = DOCKER_HUB;
        }
        if (rest.length() > MAX_NAME_LENGTH) {
            throw invalid(reference, "the repository name is " + rest.length() + " characters long, more than " + MAX_NAME_LENGTH);
        }
        checkPath(reference, path);
        if (domain.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = OFFICIAL_NAMESPACE + path;
        }
        if (tag.isEmpty() && digest == null) {
            tag = DEFAULT_TAG;
        }
        return new Reference(domain, path, tag, digest);
    }

    /** Domain and path: {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /**
     * What the registry's manifest endpoint is asked for: the digest when the reference has one,
     * since it pins the content, else the tag.
     */
    public String object() {
        return digest != null ? digest.toString() : tag;
    }

    /** This reference pinned to a digest, keeping its tag as the name people know. */
    public Reference withDigest(Digest pinned) {
        return new Reference(domain, path, tag, Objects.requireNonNull(pinned, "digest"));
    }

    /**
     * The short form people type and Docker prints: without {@code docker.io/} and, on Docker Hub,
     * without {@code library/}. It parses back to this reference.
     */
    public String familiar() {
        String name = name();
        if (domain.equals(DOCKER_HUB)) {
            name = path.startsWith(OFFICIAL_NAMESPACE) && path.indexOf('/', OFFICIAL_NAMESPACE.length()) < 0
                    ? path.substring(OFFICIAL_NAMESPACE.length())
                    : path;
        }
        return name + suffix();
    }

    /** The canonical form: {@code domain/path[:tag][@digest]}. */
    @Override
    public String toString() {
        return name() + suffix();
    }

    private String suffix() {
        return (tag.isEmpty() ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /**
     * Whether the first component of a name is a registry host rather than a path component, by
     * Docker's rule: it contains a dot or a colon, is {@code localhost}, or has upper case (which a
     * path may not).
     */
    private static boolean looksLikeDomain(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.toLowerCase(Locale.ROOT).equals(first);
    }

    private static void checkDomain(String reference, String domain) throws HawserException {
        String host = domain;
        int portColon = domain.startsWith("[") ? domain.indexOf(':', domain.indexOf(']')) : domain.indexOf(':');
        if (portColon >= 0) {
            String port = domain.substring(portColon + 1);
            host = domain.substring(0, portColon);
            if (!PORT.matcher(port).matches()) {
                throw invalid(reference, "port '" + port + "' of registry '" + domain + "' is not a number");
            }
        }
        if (IPV6.matcher(host).matches()) {
            return;
        }
        for (String component : host.split("\\.", -1)) {
            if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                throw invalid(reference, "registry '" + domain + "' is not a valid host name");
            }
        }
    }

    private static void checkPath(String reference, String path) throws HawserException {
        if (!path.toLowerCase(Locale.ROOT).equals(path)) {
            throw invalid(reference, "repository name '" + path + "' must be lower case");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(reference, component.isEmpty()
                        ? "repository name '" + path + "' has an empty component"
                        : "repository name component '" + component + "' must be lower-case letters and digits, "
                        + "separated by '.', '_', '__' or dashes");
            }
        }
    }

    private static Digest parseDigest(String reference, String digest) throws HawserException {
        try {
            return Digest.parse(digest);
        } catch (IllegalArgumentException e) {
            throw invalid(reference, "bad digest: " + e.getMessage());
        }
    }

    private static HawserException invalid(String reference, String why) {
        return HawserException.invalidArgument("invalid image reference '" + reference + "': " + why);
    }
}
