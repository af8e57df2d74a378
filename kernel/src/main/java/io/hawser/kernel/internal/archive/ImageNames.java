package io.hawser.kernel.internal.archive;

import java.util.Map;
import java.util.Optional;

import io.hawser.images.Descriptor;

/**
 * The annotations that name images in an OCI layout's {@code index.json}, and how names and tags
 * relate. Names are taken as the archive writes them: normalizing {@code busybox} to
 * {@code docker.io/library/busybox:latest} is the image service's business.
 */
final class ImageNames {

    /** The OCI annotation: a tag ({@code 1.36}) or, from some tools, a whole reference. */
    static final String OCI_REF_NAME = "org.opencontainers.image.ref.name";
    /** containerd's and docker's annotation carrying the whole reference. */
    static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";

    private ImageNames() {}

    /**
     * The image name an {@code index.json} entry gives: the whole reference if an annotation has
     * it, else {@code baseName:tag} for a bare tag, else {@code baseName@digest}; empty when
     * there is no base name to complete a bare tag or an unnamed entry.
     */
    static Optional<String> fromIndexEntry(Descriptor entry, String baseName) {
        Map<String, String> annotations = entry.annotations();
        String full = annotations.getOrDefault(CONTAINERD_IMAGE_NAME, "");
        if (!full.isBlank()) {
            return Optional.of(full);
        }
        String ref = annotations.getOrDefault(OCI_REF_NAME, "");
        if (isReference(ref)) {
            return Optional.of(ref);
        }
        if (baseName.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ref.isBlank() ? baseName + "@" + entry.digest() : baseName + ":" + ref);
    }

    /** The name's tag ({@code 1.36} of {@code registry.local/busybox:1.36}), if it has one. */
    static Optional<String> tag(String name) {
        if (name.contains("@")) {
            return Optional.empty();
        }
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? Optional.of(name.substring(colon + 1)) : Optional.empty();
    }

    /** Whether the name has a digest, which docker's RepoTags cannot carry. */
    static boolean hasDigest(String name) {
        return name.contains("@");
    }

    /** A bare tag has none of the separators a repository or digest reference has. */
    private static boolean isReference(String ref) {
        return ref.contains("/") || ref.contains(":") || ref.contains("@");
    }
}
