package io.hawser.itest.registry;

/** The media types of the two manifest families a registry client must read. */
public enum ImageFormat {
    OCI("application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.config.v1+json",
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip"),
    DOCKER_SCHEMA2("application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.container.image.v1+json",
            "application/vnd.docker.image.rootfs.diff.tar",
            "application/vnd.docker.image.rootfs.diff.tar.gzip");

    public final String indexType;
    public final String manifestType;
    public final String configType;
    public final String layerType;
    public final String gzipLayerType;

    ImageFormat(String indexType, String manifestType, String configType, String layerType, String gzipLayerType) {
        this.indexType = indexType;
        this.manifestType = manifestType;
        this.configType = configType;
        this.layerType = layerType;
        this.gzipLayerType = gzipLayerType;
    }
}
