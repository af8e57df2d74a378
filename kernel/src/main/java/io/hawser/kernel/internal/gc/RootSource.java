package io.hawser.kernel.internal.gc;

import java.io.IOException;
import java.time.Instant;
import java.util.Collection;

/**
 * A holder of content the collector asks for its roots: image records now; containers (their
 * images) and snapshots (the layers they were unpacked from) as those services arrive. Each is
 * asked once per collection while the content store is locked.
 */
@FunctionalInterface
public interface RootSource {

    /** The blobs held alive at {@code now}. */
    Collection<Root> roots(Instant now) throws IOException;
}
