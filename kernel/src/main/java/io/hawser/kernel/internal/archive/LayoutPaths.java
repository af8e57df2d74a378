package io.hawser.kernel.internal.archive;

import java.util.Optional;

import io.hawser.content.Digest;
import io.hawser.errors.HawserException;

/** Names of entries in image archives: checking what an archive says, building what Hawser writes. */
final class LayoutPaths {

    static final String OCI_LAYOUT = "oci-layout";
    static final String INDEX = "index.json";
    static final String DOCKER_MANIFEST = "manifest.json";
    static final String DOCKER_REPOSITORIES = "repositories";
    static final String BLOBS = "blobs/";

    private LayoutPaths() {}

    /**
     * An entry name made relative and free of {@code ./} steps and trailing slashes, the form
     * manifest.json paths are compared in.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the entry when it is absolute, has a
     *                         {@code ..} step or a NUL: an archive that reaches outside itself is
     *                         hostile or broken, never something to repair
     */
    static String clean(String entryName) throws HawserException {
        if (entryName.startsWith("/") || entryName.indexOf('\0') >= 0 || entryName.contains("\\")) {
            throw HawserException.invalidArgument("archive entry '" + entryName + "' has an absolute or malformed path");
        }
        StringBuilder clean = new StringBuilder();
        for (String step : entryName.split("/")) {
            if (step.equals("..")) {
                throw HawserException.invalidArgument("archive entry '" + entryName + "' has a '..' step");
            }
            if (step.isEmpty() || step.equals(".")) {
                continue;
            }
            if (!clean.isEmpty()) {
                clean.append('/');
            }
            clean.append(step);
        }
        return clean.toString();
    }

    /**
     * The digest a {@code blobs/<algorithm>/<hex>} path names, or empty for a path outside
     * {@code blobs/}.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the entry when it is under
     *                         {@code blobs/} but not a well-formed digest
     */
    static Optional<Digest> blobDigest(String path) throws HawserException {
        if (!path.startsWith(BLOBS)) {
            return Optional.empty();
        }
        String[] parts = path.substring(BLOBS.length()).split("/");
        if (parts.length != 2) {
            throw HawserException.invalidArgument("archive entry '" + path + "' is not of the form blobs/<algorithm>/<hex>");
        }
        try {
            return Optional.of(Digest.parse(parts[0] + ":" + parts[1]));
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument("archive entry '" + path + "' does not name a blob: " + e.getMessage());
        }
    }

    /** Where a blob lives in an OCI layout. */
    static String blobPath(Digest digest) {
        return BLOBS + digest.algorithm().label() + "/" + digest.hex();
    }
}
