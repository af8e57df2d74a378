package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Platform;

/**
 * Reads and writes the JSON of image layouts, manifests, indexes and configs. Every refusal names
 * where the fault is ({@code "index.json: manifests[2].digest"}), since the caller's only remedy
 * is to fix that file.
 */
public final class ImageJson {

    /**
     * The largest manifest, index, config or archive metadata file read into memory. Registries
     * refuse manifests over 4 MiB, and so does Hawser, which bounds what an archive can make it
     * hold.
     */
    public static final int MAX_JSON_SIZE = 4 * 1024 * 1024;

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ImageJson() {}

    /**
     * Parses JSON.
     *
     * @param what names the file for messages
     * @throws HawserException {@code INVALID_ARGUMENT} when it is not JSON
     */
    public static JsonNode parse(byte[] data, String what) throws HawserException {
        try {
            JsonNode node = MAPPER.readTree(data);
            if (node == null || node.isMissingNode()) {
                throw HawserException.invalidArgument(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw HawserException.invalidArgument(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HawserException.invalidArgument(what + " cannot be read as JSON: " + e.getMessage());
        }
    }

    /** Parses JSON that must be an object. */
    public static JsonNode parseObject(byte[] data, String what) throws HawserException {
        JsonNode node = parse(data, what);
        if (!node.isObject()) {
            throw HawserException.invalidArgument(what + " must be a JSON object");
        }
        return node;
    }

    /**
     * Reads a committed blob that holds JSON, refusing one larger than {@link #MAX_JSON_SIZE}.
     *
     * @throws HawserException {@code NOT_FOUND} when the store has no such blob
     */
    public static byte[] readSmallBlob(ContentStore store, Digest digest, String what) throws IOException {
        long size = store.info(digest).size();
        if (size > MAX_JSON_SIZE) {
            throw HawserException.invalidArgument(what + " is " + size + " bytes, more than the " + MAX_JSON_SIZE + " accepted");
        }
        try (InputStream in = Channels.newInputStream(store.reader(digest))) {
            return in.readNBytes(MAX_JSON_SIZE);
        }
    }

    /** The JSON of a blob, which must be an object. */
    public static JsonNode readObjectBlob(ContentStore store, Digest digest, String what) throws IOException {
        return parseObject(readSmallBlob(store, digest, what), what);
    }

    /**
     * The descriptors in an array field, such as an index's {@code manifests} or a manifest's
     * {@code layers}.
     */
    public static List<Descriptor> descriptors(JsonNode parent, String field, String where) throws HawserException {
        JsonNode array = parent.get(field);
        if (array == null || !array.isArray()) {
            throw HawserException.invalidArgument(where + ": " + field + " must be an array");
        }
        List<Descriptor> list = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            list.add(descriptor(array.get(i), where + ": " + field + "[" + i + "]"));
        }
        return list;
    }

    /** A descriptor object. */
    public static Descriptor descriptor(JsonNode node, String where) throws HawserException {
        if (node == null || !node.isObject()) {
            throw HawserException.invalidArgument(where + " must be a descriptor object");
        }
        String mediaType = text(node, "mediaType", where);
        Digest digest;
        try {
            digest = Digest.parse(text(node, "digest", where));
        } catch (IllegalArgumentException e) {
            throw HawserException.invalidArgument(where + ".digest: " + e.getMessage());
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
            throw HawserException.invalidArgument(where + ".size must be a non-negative integer");
        }
        Map<String, String> annotations = new TreeMap<>();
        JsonNode a = node.get("annotations");
        if (a != null && a.isObject()) {
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                annotations.put(e.getKey(), e.getValue().asText());
            }
        }
        List<URI> urls = new ArrayList<>();
        JsonNode u = node.get("urls");
        if (u != null && u.isArray()) {
            for (JsonNode url : u) {
                try {
                    urls.add(URI.create(url.asText()));
                } catch (IllegalArgumentException e) {
                    throw HawserException.invalidArgument(where + ".urls has a malformed URL: " + url.asText());
                }
            }
        }
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject()) {
            platform = platform(p, where + ".platform");
        }
        return new Descriptor(mediaType, digest, size.asLong(), annotations, urls, platform);
    }

    /**
     * A platform object, as in an index ({@code os.version}, {@code os.features}) or the same
     * fields at the top of an image config.
     */
    public static Platform platform(JsonNode node, String where) throws HawserException {
        String os = node.path("os").asText("");
        String architecture = node.path("architecture").asText("");
        if (os.isEmpty() || architecture.isEmpty()) {
            throw HawserException.invalidArgument(where + " needs os and architecture");
        }
        List<String> features = new ArrayList<>();
        node.path("os.features").forEach(f -> features.add(f.asText()));
        return new Platform(os, architecture, node.path("variant").asText(""), node.path("os.version").asText(""), features);
    }

    /** A descriptor as JSON, fields in the order the OCI specification lists them. */
    public static ObjectNode toJson(Descriptor d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.urls().isEmpty()) {
            ArrayNode urls = node.putArray("urls");
            d.urls().forEach(u -> urls.add(u.toString()));
        }
        if (!d.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            new TreeMap<>(d.annotations()).forEach(annotations::put);
        }
        if (d.platform() != null) {
            Platform p = d.platform();
            ObjectNode platform = node.putObject("platform");
            platform.put("architecture", p.architecture());
            platform.put("os", p.os());
            if (!p.osVersion().isEmpty()) {
                platform.put("os.version", p.osVersion());
            }
            if (!p.osFeatures().isEmpty()) {
                ArrayNode features = platform.putArray("os.features");
                p.osFeatures().forEach(features::add);
            }
            if (!p.variant().isEmpty()) {
                platform.put("variant", p.variant());
            }
        }
        return node;
    }

    /** Compact JSON bytes, the form blobs are written in. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // a tree of plain nodes always serializes
            throw new IllegalStateException(e);
        }
    }

    /** A required string field. */
    public static String text(JsonNode node, String field, String where) throws HawserException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw HawserException.invalidArgument(where + "." + field + " must be a non-empty string");
        }
        return value.asText();
    }

    /**
     * The diff IDs an image config lists ({@code rootfs.diff_ids}): the digests of its layers
     * uncompressed, bottom first.
     */
    public static List<Digest> diffIds(JsonNode config, String what) throws HawserException {
        JsonNode array = config.path("rootfs").path("diff_ids");
        if (!array.isArray()) {
            throw HawserException.invalidArgument(what + " has no rootfs.diff_ids");
        }
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode diffId : array) {
            try {
                diffIds.add(Digest.parse(diffId.asText()));
            } catch (IllegalArgumentException e) {
                throw HawserException.invalidArgument(what + ": rootfs.diff_ids has " + e.getMessage());
            }
        }
        return diffIds;
    }
}
