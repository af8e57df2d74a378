package io.hawser.kernel.internal.metadata;

import java.time.Clock;

import io.hawser.sandboxes.SandboxStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The sandbox records, offered to frontends. */
@Component(service = SandboxStore.class)
public final class SandboxStoreComponent extends SqliteSandboxStore {

    @Activate
    public SandboxStoreComponent(@Reference Metadata metadata) {
        super(metadata, Clock.systemUTC());
    }
}
