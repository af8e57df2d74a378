package io.hawser.images;

import java.util.Set;

/**
 * The media types of image blobs Hawser reads and writes, from the OCI image specification and
 * Docker's image manifest version 2, schema 2, with questions about them. Docker schema 1
 * manifests are not supported.
 */
public final class MediaTypes {

    /** OCI image manifest. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index (multi-platform). */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** OCI image configuration. */
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    /** OCI empty descriptor, the config of artifacts that have none. */
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    /** OCI layer, uncompressed tar. */
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    /** OCI layer, gzip-compressed tar. */
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    /** OCI layer, zstd-compressed tar. */
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    /** OCI non-distributable layer, uncompressed (deprecated by the specification, still met). */
    public static final String OCI_LAYER_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    /** OCI non-distributable layer, gzip. */
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    /** OCI non-distributable layer, zstd. */
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

    /** Docker schema 2 image manifest. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker schema 2 manifest list (multi-platform). */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    /** Docker image configuration. */
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    /** Docker layer, gzip-compressed tar. */
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** Docker layer, uncompressed tar, as some tools write it. */
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    /** Docker foreign layer, gzip: fetched from its descriptor's URLs, not the registry. */
    public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /** How a layer's tar stream is compressed. */
    public enum Compression {
        /** Plain tar. */
        NONE,
        /** gzip. */
        GZIP,
        /** zstd. */
        ZSTD
    }

    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
    private static final Set<String> LAYERS = Set.of(OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD,
            OCI_LAYER_NONDISTRIBUTABLE, OCI_LAYER_NONDISTRIBUTABLE_GZIP, OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
            DOCKER_LAYER_GZIP, DOCKER_LAYER, DOCKER_FOREIGN_LAYER_GZIP);
    private static final Set<String> FOREIGN = Set.of(DOCKER_FOREIGN_LAYER_GZIP,
            OCI_LAYER_NONDISTRIBUTABLE, OCI_LAYER_NONDISTRIBUTABLE_GZIP, OCI_LAYER_NONDISTRIBUTABLE_ZSTD);

    private MediaTypes() {}

    /** Whether the type is a multi-platform index or manifest list. */
    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(base(mediaType));
    }

    /** Whether the type is a single-platform image manifest. */
    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(base(mediaType));
    }

    /** Whether the type is an image configuration. */
    public static boolean isConfig(String mediaType) {
        return CONFIGS.contains(base(mediaType));
    }

    /** Whether the type is a filesystem layer Hawser can unpack. */
    public static boolean isLayer(String mediaType) {
        return LAYERS.contains(base(mediaType));
    }

    /**
     * Whether the layer is foreign or non-distributable: pushed nowhere, fetched from its
     * descriptor's URLs, and left out of exports unless asked for.
     */
    public static boolean isForeign(String mediaType) {
        return FOREIGN.contains(base(mediaType));
    }

    /**
     * How a layer is compressed.
     *
     * @throws IllegalArgumentException when the type is not a layer
     */
    public static Compression compression(String mediaType) {
        String type = base(mediaType);
        if (!LAYERS.contains(type)) {
            throw new IllegalArgumentException("not a layer media type: " + mediaType);
        }
        if (type.endsWith("+gzip") || type.endsWith(".gzip")) {
            return Compression.GZIP;
        }
        return type.endsWith("+zstd") ? Compression.ZSTD : Compression.NONE;
    }

    /** The type without parameters: registries sometimes append {@code ; charset=utf-8}. */
    private static String base(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip();
    }
}
