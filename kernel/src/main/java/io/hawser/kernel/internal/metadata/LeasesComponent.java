package io.hawser.kernel.internal.metadata;

import java.time.Clock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The leases, for the image service's pulls and the garbage collector, inside the kernel. */
@Component(service = Leases.class)
public final class LeasesComponent extends Leases {

    @Activate
    public LeasesComponent(@Reference Metadata metadata) {
        super(metadata, Clock.systemUTC());
    }
}
