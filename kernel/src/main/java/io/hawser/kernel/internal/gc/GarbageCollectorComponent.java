package io.hawser.kernel.internal.gc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.hawser.content.GarbageCollector;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.kernel.internal.containers.ContainerRecords;
import io.hawser.kernel.internal.content.LocalContentStore;
import io.hawser.kernel.internal.metadata.Leases;
import io.hawser.kernel.internal.metadata.Metadata;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Registers the garbage collector. Its roots are the image records and the images of containers,
 * which stay after their image record is deleted ({@code rmi}), as containerd keeps them.
 */
@Component(service = GarbageCollector.class, configurationPid = GarbageCollectorComponent.PID)
@Designate(ocd = GarbageCollectorComponent.Config.class)
public final class GarbageCollectorComponent extends MarkSweepCollector {

    /** The configuration PID, {@code etc/io.hawser.kernel.gc.cfg}. */
    static final String PID = "io.hawser.kernel.gc";

    @ObjectClassDefinition(name = "Hawser garbage collector", description = "What the garbage collector removes")
    @interface Config {
        @AttributeDefinition(name = "Ingest max age (seconds)",
                description = "How long a partial download may go without a write before it is removed; leased ones are kept")
        long ingest_max_age_seconds() default 24 * 60 * 60;
    }

    @Activate
    public GarbageCollectorComponent(@Reference LocalContentStore store, @Reference Leases leases,
            @Reference ImageStore images, @Reference Metadata metadata, Config config) {
        super(store, leases, List.of(
                        now -> images.list(image -> true).stream().map(Image::target).map(Root::of).toList(),
                        now -> new ContainerRecords(metadata, Clock.systemUTC()).imageRoots()),
                Clock.systemUTC(), Duration.ofSeconds(config.ingest_max_age_seconds()));
    }
}
