package io.hawser.kernel.internal.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.hawser.containers.Container;
import io.hawser.content.CollectionReport;
import io.hawser.content.ContentStore;
import io.hawser.content.ContentWriter;
import io.hawser.content.Digest;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.MediaTypes;
import io.hawser.kernel.internal.containers.ContainerRecords;
import io.hawser.kernel.internal.content.ContentStoreComponent;
import io.hawser.kernel.internal.metadata.ImageStoreComponent;
import io.hawser.kernel.internal.metadata.LeasesComponent;
import io.hawser.kernel.internal.metadata.MetadataComponent;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.FixedDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The components wired by hand the way the component runtime wires them, on a real root. */
class GarbageCollectorComponentTest {

    private static final String SQLITE_TMPDIR = "org.sqlite.tmpdir";

    @TempDir
    Path root;

    @TempDir
    Path state;

    private Daemon daemon() {
        return new FixedDaemon(root, state, root.resolve("etc"));
    }

    private static GarbageCollectorComponent.Config ingestMaxAgeSeconds(long seconds) {
        return new GarbageCollectorComponent.Config() {
            @Override
            public long ingest_max_age_seconds() {
                return seconds;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return GarbageCollectorComponent.Config.class;
            }
        };
    }

    @Test
    void componentsShareOneDatabaseUnderTheRootAndCollectByConfiguration() throws IOException {
        String operatorSetting = System.clearProperty(SQLITE_TMPDIR);
        MetadataComponent metadata = new MetadataComponent(daemon());
        try {
            assertEquals(state.resolve("sqlite").toString(), System.getProperty(SQLITE_TMPDIR));
            assertTrue(Files.isRegularFile(root.resolve("metadata.db")));

            ContentStoreComponent store = new ContentStoreComponent(daemon(), metadata);
            ImageStoreComponent images = new ImageStoreComponent(metadata);
            GarbageCollectorComponent collector = new GarbageCollectorComponent(store, new LeasesComponent(metadata), images, metadata,
                    ingestMaxAgeSeconds(0));

            byte[] manifest = "{\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
            Digest digest;
            try (ContentWriter writer = store.writer("manifest", ContentStore.UNKNOWN_SIZE, null)) {
                writer.write(ByteBuffer.wrap(manifest));
                digest = writer.commit(ContentStore.UNKNOWN_SIZE, null, Map.of());
            }
            images.create(new Image("app", new Descriptor(MediaTypes.OCI_MANIFEST, digest, manifest.length), Map.of(),
                    Instant.EPOCH, Instant.EPOCH));
            store.writer("interrupted", ContentStore.UNKNOWN_SIZE, null).close();

            CollectionReport report = collector.collect();
            assertEquals(List.of(), report.removedBlobs());
            assertEquals(List.of("interrupted"), report.removedIngests(), "a max age of zero removes every idle ingest");

            // rmi of an image a container was created from, as containerd allows: its content stays with the container
            ContainerRecords containers = new ContainerRecords(metadata, Clock.systemUTC());
            Descriptor target = images.get("app").orElseThrow().target();
            containers.insert(new Container("web1", "web", "app", "runc", "overlay", "container-web1", "{}",
                    root.resolve("web1.log"), false, false, false, 15, Map.of(), Instant.EPOCH), target, "app");
            images.delete("app");
            assertEquals(List.of(), collector.collect().removedBlobs());
            containers.delete("web1");
            assertEquals(List.of(digest), collector.collect().removedBlobs());
        } finally {
            metadata.close();
            if (operatorSetting == null) {
                System.clearProperty(SQLITE_TMPDIR);
            } else {
                System.setProperty(SQLITE_TMPDIR, operatorSetting);
            }
        }
    }
}
