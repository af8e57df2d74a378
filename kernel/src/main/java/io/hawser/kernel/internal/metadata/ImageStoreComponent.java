package io.hawser.kernel.internal.metadata;

import java.time.Clock;

import io.hawser.images.ImageStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Registers the image records of the metadata database as the {@link ImageStore}. */
@Component(service = ImageStore.class)
public final class ImageStoreComponent extends SqliteImageStore {

    @Activate
    public ImageStoreComponent(@Reference Metadata metadata) {
        super(metadata, Clock.systemUTC());
    }
}
