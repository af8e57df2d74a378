package io.hawser.kernel.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.MediaTypes;
import io.hawser.images.Platform;
import io.hawser.kernel.internal.StoreTestBase;
import org.junit.jupiter.api.Test;

class SqliteImageStoreTest extends StoreTestBase {

    private static final Instant EPOCH = Instant.EPOCH;
    private static final Descriptor INDEX = new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256(new byte[] {1}), 321);

    private SqliteImageStore images;

    @Override
    protected void openStores() {
        images = new SqliteImageStore(metadata, clock);
    }

    private static Image image(String name, Descriptor target, Map<String, String> labels) {
        return new Image(name, target, labels, EPOCH, EPOCH);
    }

    @Test
    void createdImageIsStampedAndReadBack() throws IOException {
        clock.advance(Duration.ofNanos(123_456_789));
        Image created = images.create(image("docker.io/library/busybox:latest", INDEX, Map.of("io.cri.pinned", "true")));
        Instant stamped = Instant.parse("2026-01-01T00:00:00.123Z");
        assertEquals(stamped, created.created());
        assertEquals(stamped, created.updated());
        assertEquals(Optional.of(created), images.get("docker.io/library/busybox:latest"));
        assertEquals(Optional.empty(), images.get("docker.io/library/alpine:latest"));
    }

    @Test
    void targetKeepsAllItsFields() throws IOException {
        Descriptor full = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[] {2}), 99,
                Map.of("org.opencontainers.image.ref.name", "1.36"), List.of(URI.create("https://mirror.example/blob")),
                new Platform("linux", "arm", "v7"));
        images.create(image("registry.local/app:1", full, Map.of()));
        restart();
        assertEquals(full, images.get("registry.local/app:1").orElseThrow().target());
    }

    @Test
    void duplicateNameIsRefused() throws IOException {
        images.create(image("a", INDEX, Map.of()));
        HawserException refused = assertThrows(HawserException.class, () -> images.create(image("a", INDEX, Map.of())));
        assertEquals(ErrorCode.ALREADY_EXISTS, refused.code());
        assertEquals("image a already exists", refused.getMessage());
    }

    @Test
    void updateReplacesTargetAndLabelsAndKeepsCreation() throws IOException {
        Image created = images.create(image("a", INDEX, Map.of("x", "1")));
        clock.advance(Duration.ofMinutes(1));
        Descriptor other = new Descriptor(MediaTypes.DOCKER_MANIFEST, Digest.sha256(new byte[] {3}), 7);
        Image updated = images.update(image("a", other, Map.of("y", "2")));
        assertEquals(created.created(), updated.created());
        assertEquals(created.updated().plus(Duration.ofMinutes(1)), updated.updated());
        assertEquals(Optional.of(updated), images.get("a"));
    }

    @Test
    void updateAndDeleteOfAMissingImageAreNotFound() {
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> images.update(image("nope", INDEX, Map.of()))).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> images.delete("nope")).code());
    }

    @Test
    void listFiltersAndOrdersByName() throws IOException {
        images.create(image("c", INDEX, Map.of()));
        images.create(image("a", INDEX, Map.of("pinned", "true")));
        images.create(image("b", INDEX, Map.of()));
        assertEquals(List.of("a", "b", "c"), images.list(i -> true).stream().map(Image::name).toList());
        assertEquals(List.of("a"), images.list(i -> i.labels().containsKey("pinned")).stream().map(Image::name).toList());
        images.delete("b");
        assertEquals(List.of("a", "c"), images.list(i -> true).stream().map(Image::name).toList());
    }
}
