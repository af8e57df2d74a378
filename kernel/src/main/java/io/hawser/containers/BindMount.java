package io.hawser.containers;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A host file or directory bind-mounted into a container, as a CRI {@code Mount} or
 * {@code docker run -v} asks.
 *
 * @param source      the host path; it must exist when the container is created
 * @param destination the absolute path inside the container
 * @param readOnly    whether the container sees it read-only
 * @param propagation how mounts made later below it travel between host and container
 */
public record BindMount(Path source, String destination, boolean readOnly, Propagation propagation) {

    /** Mount propagation, in CRI's terms; the OCI options are {@code rprivate}, {@code rslave}, {@code rshared}. */
    public enum Propagation {
        /** Nothing travels either way. */
        PRIVATE,
        /** Mounts the host makes below the source appear in the container, not the other way round. */
        HOST_TO_CONTAINER,
        /** Mounts travel both ways; the container needs to be privileged to make any. */
        BIDIRECTIONAL
    }

    public BindMount {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        propagation = propagation == null ? Propagation.PRIVATE : propagation;
    }
}
