package io.hawser.kernel.internal.mount;

import io.hawser.snapshots.Mounter;
import org.osgi.service.component.annotations.Component;

/** Registers the kernel's mounter. */
@Component(service = Mounter.class)
public final class MounterComponent extends LinuxMounter {
}
