package io.hawser.kernel.internal.content;

import java.io.IOException;
import java.time.Clock;

import io.hawser.content.ContentStore;
import io.hawser.kernel.internal.metadata.Metadata;
import io.hawser.plugin.Daemon;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Registers the content store under the daemon root; also under its own class, for the garbage
 * collector, which needs the store's lock and ingest sweep that the API does not offer.
 */
@Component(service = {ContentStore.class, LocalContentStore.class})
public final class ContentStoreComponent extends LocalContentStore {

    @Activate
    public ContentStoreComponent(@Reference Daemon daemon, @Reference Metadata metadata) throws IOException {
        super(daemon.root(), metadata, Clock.systemUTC());
    }
}
