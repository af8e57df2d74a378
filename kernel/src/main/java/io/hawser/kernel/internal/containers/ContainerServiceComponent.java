package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.hawser.containers.ContainerService;
import io.hawser.content.ContentStore;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.kernel.internal.metadata.Metadata;
import io.hawser.kernel.internal.spec.HostFacts;
import io.hawser.plugin.Daemon;
import io.hawser.runtime.Runtime;
import io.hawser.snapshots.Mounter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers the {@link ContainerManager} as the container service, configured by
 * {@code io.hawser.containers}, and hands it the runtime plugins as they come and go. Each arriving
 * runtime's tasks are matched with the records on a virtual thread of their own, so a runtime with
 * many tasks does not hold up the component runtime.
 *
 * <p>Immediate, so that tasks left running by the previous daemon are watched, and exits that
 * happened meanwhile announced, when the daemon starts rather than when the service is first used.
 * The image service is got only when a container is created (SCR releases it on deactivation).
 */
@Component(service = ContainerService.class, configurationPid = ContainerServiceComponent.PID, immediate = true)
@Designate(ocd = ContainerServiceComponent.Config.class)
public final class ContainerServiceComponent extends ContainerManager {

    static final String PID = "io.hawser.containers";

    private static final System.Logger LOG = System.getLogger(ContainerServiceComponent.class.getName());

    private final ExecutorService poster;

    @ObjectClassDefinition(name = "Hawser containers")
    public @interface Config {
        @AttributeDefinition(description = "The runtime handler of containers whose request names none")
        String default_runtime() default "runc";

        @AttributeDefinition(description = "How long a forced removal waits for a task killed with SIGKILL to exit (seconds)")
        long kill_timeout_seconds() default 10;
    }

    @Activate
    public ContainerServiceComponent(@Reference Daemon daemon, @Reference Metadata metadata, @Reference ImageStore imageStore,
            @Reference ComponentServiceObjects<ImageService> imageServices, @Reference ContentStore content, @Reference Snapshotters snapshotters,
            @Reference Mounter mounter, @Reference EventAdmin eventAdmin, Config config) throws IOException {
        ExecutorService poster = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("container-events").factory());
        this.poster = poster;
        super(new ContainerRecords(metadata, Clock.systemUTC()),
                new StoredImages(imageStore, imageServices::getService, content, snapshotters), snapshotters, mounter,
                orderedEvents(poster, eventAdmin),
                HostFacts.ofThisProcess(), new ContainerFiles(daemon.root(), daemon.state(), Path.of("/etc/resolv.conf")),
                config.default_runtime(), Duration.ofSeconds(config.kill_timeout_seconds()), Clock.systemUTC());
        recover();
    }

    /**
     * Posts every event from one thread. Event Admin keeps the order of the events one thread
     * posts, not across threads; exits are found on other threads than the calls that start and
     * delete tasks, and their events must stay in the order the service made them.
     */
    private static EventSink orderedEvents(ExecutorService poster, EventAdmin eventAdmin) {
        return (topic, properties) -> {
            try {
                poster.execute(() -> eventAdmin.postEvent(new Event(topic, properties)));
            } catch (RejectedExecutionException deactivated) {
                LOG.log(System.Logger.Level.DEBUG, "not posting " + topic + " after deactivation");
            }
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Runtime.RUNTIME_PROPERTY + "=*)")
    void bindRuntime(Runtime runtime, Map<String, Object> properties) {
        String handler = handler(properties);
        addRuntime(handler, runtime);
        Thread.ofVirtual().name("reconcile-" + handler).start(() -> {
            try {
                reconcile(handler, runtime);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "could not match the tasks of runtime " + handler
                        + " with the container records: " + e.getMessage(), e);
            }
        });
    }

    void unbindRuntime(Runtime runtime, Map<String, Object> properties) {
        removeRuntime(handler(properties), runtime);
    }

    private static String handler(Map<String, Object> properties) {
        return String.valueOf(properties.get(Runtime.RUNTIME_PROPERTY));
    }

    @Deactivate
    void deactivate() {
        close();
        poster.shutdown();
    }
}
