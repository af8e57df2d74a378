package io.hawser.cri;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.content.ContentStore;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;
import io.hawser.images.Reference;
import io.hawser.images.ResolvedImage;

/**
 * Images as CRI sees them. The kernel stores named records, each pointing at a manifest or index;
 * CRI wants one image per identity, known by several names. Hawser, like containerd, takes the
 * digest of the host platform's configuration blob as the identity (the image ID), so every record
 * resolving to the same configuration is one CRI image with all their names as tags and digests.
 */
final class CriImages {

    /** Label of an image record kubelet must not garbage-collect. */
    static final String PINNED_LABEL = "io.hawser.cri.pinned";

    private static final Pattern BARE_ID = Pattern.compile("[a-f0-9]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageStore store;
    private final Supplier<ImageService> services;
    private final ContentStore content;
    private final Platform platform;

    /**
     * One CRI image: its identity, the records naming it (at least one) and the platform's
     * manifest they resolve to.
     */
    record Entry(Digest id, List<Image> records, ResolvedImage resolved) {
        Entry {
            records = List.copyOf(records);
        }
    }

    CriImages(ImageStore store, Supplier<ImageService> services, ContentStore content, Platform platform) {
        this.store = store;
        this.services = services;
        this.content = content;
        this.platform = platform;
    }

    /**
     * Every image, grouped by ID, in the order of the first name of each. Records whose content
     * is incomplete (for example a pull interrupted after the record was written) are left out,
     * since CRI has no way to show an image without an ID.
     */
    List<Entry> list() throws IOException {
        Map<Digest, List<Image>> byId = new LinkedHashMap<>();
        Map<Digest, ResolvedImage> resolvedById = new LinkedHashMap<>();
        for (Image record : store.list(image -> true)) {
            Optional<ResolvedImage> resolved = resolve(record);
            if (resolved.isEmpty()) {
                continue;
            }
            Digest id = resolved.get().config().digest();
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(record);
            resolvedById.putIfAbsent(id, resolved.get());
        }
        List<Entry> entries = new ArrayList<>();
        byId.forEach((id, records) -> entries.add(new Entry(id, records, resolvedById.get(id))));
        return entries;
    }

    /**
     * The image a CRI image spec names: an image ID ({@code sha256:…} or its 64 hex digits), a
     * reference with a tag, or a repository digest ({@code name@sha256:…} of the manifest).
     *
     * @throws HawserException {@code INVALID_ARGUMENT} when the name is neither an ID nor a valid
     *                         reference
     */
    Optional<Entry> find(String name) throws IOException {
        Optional<Digest> id = imageId(name);
        if (id.isPresent()) {
            return list().stream().filter(e -> e.id().equals(id.get())).findFirst();
        }
        Reference reference = Reference.parse(name);
        Optional<Image> record = store.get(reference.toString());
        if (record.isEmpty() && reference.digest() != null) {
            // a repository digest of an image recorded under a tag only
            record = store.list(image -> reference.digest().equals(image.target().digest())
                    && nameOf(image.name()).equals(reference.name())).stream().findFirst();
        }
        if (record.isEmpty()) {
            record = store.get(name);
        }
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Optional<ResolvedImage> resolved = resolve(record.get());
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Digest found = resolved.get().config().digest();
        return list().stream().filter(e -> e.id().equals(found)).findFirst();
    }

    /** The image a pull just recorded, with its repository digest recorded as a name too. */
    Entry pulled(Image image) throws IOException {
        ResolvedImage resolved = services.get().resolve(image, platform);
        Reference reference = Reference.parse(image.name());
        if (reference.digest() == null) {
            // kubelet may later name the image by its repository digest, as containerd records it
            String byDigest = reference.name() + "@" + image.target().digest();
            try {
                if (store.get(byDigest).isEmpty()) {
                    store.create(new Image(byDigest, image.target(), Map.of(), image.created(), image.updated()));
                }
            } catch (HawserException e) {
                if (e.code() != ErrorCode.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        Digest id = resolved.config().digest();
        return find(id.toString()).orElseThrow(() -> HawserException.notFound("image " + id + " just pulled"));
    }

    /** The CRI names of an entry: references with a tag. */
    static List<String> repoTags(Entry entry) {
        Set<String> tags = new LinkedHashSet<>();
        for (Image record : entry.records()) {
            parse(record.name()).filter(r -> !r.tag().isEmpty())
                    .ifPresent(r -> tags.add(r.name() + ":" + r.tag()));
        }
        return List.copyOf(tags);
    }

    /** The CRI repository digests of an entry: {@code name@digest} of each record's manifest or index. */
    static List<String> repoDigests(Entry entry) {
        Set<String> digests = new LinkedHashSet<>();
        for (Image record : entry.records()) {
            parse(record.name()).ifPresent(r -> digests.add(r.name() + "@" + record.target().digest()));
        }
        return List.copyOf(digests);
    }

    static boolean pinned(Entry entry) {
        return entry.records().stream().anyMatch(r -> "pinned".equals(r.labels().get(PINNED_LABEL)));
    }

    /** The image's configuration document, as stored. */
    JsonNode config(Entry entry) throws IOException {
        try (InputStream in = Channels.newInputStream(content.reader(entry.resolved().config().digest()))) {
            return JSON.readTree(in);
        }
    }

    /** The user the image runs as, from {@code config.User}: the part before a colon. */
    static String user(JsonNode config) {
        String user = config.path("config").path("User").asText("");
        int colon = user.indexOf(':');
        return colon >= 0 ? user.substring(0, colon) : user;
    }

    /** An image ID written with or without its algorithm; empty when the name is none. */
    static Optional<Digest> imageId(String name) {
        if (BARE_ID.matcher(name).matches()) {
            return Optional.of(Digest.parse("sha256:" + name));
        }
        if (name.startsWith("sha256:") && BARE_ID.matcher(name.substring("sha256:".length())).matches()) {
            return Optional.of(Digest.parse(name));
        }
        return Optional.empty();
    }

    private Optional<ResolvedImage> resolve(Image record) throws IOException {
        try {
            return Optional.of(services.get().resolve(record, platform));
        } catch (HawserException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Optional<Reference> parse(String name) {
        try {
            return Optional.of(Reference.parse(name));
        } catch (HawserException e) {
            // an imported archive may have recorded a name that is no reference: it is no CRI name
            return Optional.empty();
        }
    }

    private static String nameOf(String recordName) {
        return parse(recordName).map(Reference::name).orElse(recordName);
    }
}
