package io.hawser.kernel.internal.gc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.hawser.content.GarbageCollector;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.kernel.internal.content.LocalContentStore;
import io.hawser.kernel.internal.metadata.Leases;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Registers the garbage collector, with image records as its roots (containers join later). */
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
            @Reference ImageStore images, Config config) {
        super(store, leases, List.of(now -> images.list(image -> true).stream().map(Image::target).map(Root::of).toList()),
                Clock.systemUTC(), Duration.ofSeconds(config.ingest_max_age_seconds()));
    }
}
