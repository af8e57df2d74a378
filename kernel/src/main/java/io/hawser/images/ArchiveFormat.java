package io.hawser.images;

/** The tar archive formats images are imported from and exported to. */
public enum ArchiveFormat {
    /**
     * An OCI image layout in a tar: {@code oci-layout}, {@code index.json} and
     * {@code blobs/<algorithm>/<hex>}; image names are the index's
     * {@code org.opencontainers.image.ref.name} annotations.
     */
    OCI_LAYOUT,
    /**
     * What {@code docker save} writes: {@code manifest.json} listing config, layers and repo
     * tags. Hawser also writes the OCI layout files into it, so either tool can read the result.
     */
    DOCKER_ARCHIVE
}
