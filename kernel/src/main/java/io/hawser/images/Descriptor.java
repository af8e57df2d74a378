package io.hawser.images;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.hawser.content.Digest;

/**
 * A typed pointer to a blob, as OCI manifests and indexes write it: what the blob is, its digest
 * and its size. Knowing the size before fetching lets a puller refuse a registry that sends more.
 *
 * @param mediaType   what the blob is, one of {@link MediaTypes} or another registered type
 * @param digest      the blob's digest
 * @param size        the blob's length in bytes
 * @param annotations free-form annotations
 * @param urls        where else the blob may be fetched from, for foreign layers; usually empty
 * @param platform    the platform of the manifest it points to, when an index says it; else
 *                    {@code null}
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations, List<URI> urls, Platform platform) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
        if (mediaType.isBlank()) {
            throw new IllegalArgumentException("descriptor of " + digest + " has no media type");
        }
        if (size < 0) {
            throw new IllegalArgumentException("descriptor of " + digest + " has negative size " + size);
        }
    }

    /** A descriptor with only the three required fields. */
    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of(), List.of(), null);
    }
}
