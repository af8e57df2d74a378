package io.hawser.kernel.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.hawser.containers.Container;
import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.events.EventProperties;
import io.hawser.events.Topics;
import io.hawser.images.Descriptor;
import io.hawser.images.ImageService;
import io.hawser.images.MediaTypes;
import io.hawser.kernel.internal.content.ContentStoreComponent;
import io.hawser.kernel.internal.metadata.ImageStoreComponent;
import io.hawser.kernel.internal.metadata.Metadata;
import io.hawser.plugin.FixedDaemon;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** The component wired by hand as the component runtime wires it: runtimes bound later, events to Event Admin. */
class ContainerServiceComponentTest {

    @TempDir
    Path root;

    @TempDir
    Path state;

    private static ContainerServiceComponent.Config config() {
        return new ContainerServiceComponent.Config() {
            @Override
            public String default_runtime() {
                return "runc";
            }

            @Override
            public long kill_timeout_seconds() {
                return 5;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return ContainerServiceComponent.Config.class;
            }
        };
    }

    /** Image service objects that must not be asked for: nothing here creates a container. */
    private static final class NoImageService implements ComponentServiceObjects<ImageService> {
        @Override
        public ImageService getService() {
            throw new AssertionError("the image service is got only to create a container");
        }

        @Override
        public void ungetService(ImageService service) {
        }

        @Override
        public ServiceReference<ImageService> getServiceReference() {
            throw new UnsupportedOperationException();
        }
    }

    private static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            throw new AssertionError("events are posted, never sent");
        }
    }

    @Test
    void aBoundRuntimesExitedTaskIsAnnouncedThroughEventAdminAndItsOrphansRemoved() throws Exception {
        FixedDaemon daemon = new FixedDaemon(root, state, root.resolve("etc"));
        try (Metadata metadata = new Metadata(root)) {
            Container container = new ContainerRecords(metadata, Clock.systemUTC()).insert(new Container("web1", "web", "app",
                    "runc", "overlay", "container-web1", "{}", root.resolve("web1.log"), false, false, false, 15, Map.of(),
                    Instant.EPOCH), new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(new byte[0]), 0), "app");
            FakeRuntime runc = new FakeRuntime();
            runc.create(new CreateTaskRequest(container.id(), state.resolve("bundles/web1"), List.of(), new IOConfig.Discard())).start();
            runc.tasks.get(container.id()).exit(4);
            runc.create(new CreateTaskRequest("stray", state.resolve("bundles/stray"), List.of(), new IOConfig.Discard())).start();

            RecordingEventAdmin eventAdmin = new RecordingEventAdmin();
            ContainerServiceComponent component = new ContainerServiceComponent(daemon, metadata, new ImageStoreComponent(metadata),
                    new NoImageService(), new ContentStoreComponent(daemon, metadata), new FakeSnapshotters(Map.of(), "overlay"),
                    new FakeMounter(), eventAdmin, config());
            try {
                component.bindRuntime(runc, Map.of(Runtime.RUNTIME_PROPERTY, "runc"));
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (eventAdmin.posted.isEmpty() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Event exit = eventAdmin.posted.getFirst();
                assertEquals(Topics.TASK_EXIT, exit.getTopic());
                assertEquals("web1", exit.getProperty(EventProperties.ID));
                assertEquals(4, exit.getProperty(EventProperties.EXIT_STATUS));
                while (runc.tasks.containsKey("stray") && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(List.of("web1"), runc.tasks().stream().map(Task::id).toList());

                component.unbindRuntime(runc, Map.of(Runtime.RUNTIME_PROPERTY, "runc"));
                HawserException gone = assertThrows(HawserException.class, () -> component.task("web1"));
                assertEquals(ErrorCode.NOT_FOUND, gone.code());
                assertTrue(gone.getMessage().startsWith("runtime runc (serving: none"), gone.getMessage());
            } finally {
                component.deactivate();
            }
        }
    }
}
