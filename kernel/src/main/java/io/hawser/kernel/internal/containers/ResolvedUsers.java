package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.util.Map;

import io.hawser.kernel.internal.spec.ImageUsers.ResolvedUser;

/**
 * Users resolved in images, by snapshotter, the image's top snapshot and the user specification.
 * Resolving goes through the image's own passwd and group files, which means mounting the new
 * container's root filesystem for a moment (milliseconds of every container created); a committed
 * snapshot never changes, so neither does what those files say. Failures are not remembered.
 */
final class ResolvedUsers {

    /** How many resolutions are remembered, the least recently used forgotten first. */
    static final int REMEMBERED = 256;

    /** Resolves the user through the files themselves. */
    @FunctionalInterface
    interface Lookup {
        ResolvedUser resolve() throws IOException;
    }

    private record Key(String snapshotter, String parent, String user) {}

    /** Guarded by itself. */
    private final Map<Key, ResolvedUser> known = new LeastRecentlyUsed<>(REMEMBERED);

    /**
     * @param parent the committed snapshot the container's root filesystem is prepared from; empty for an image without layers
     * @param user   the user specification, {@code null} for the default
     */
    ResolvedUser resolve(String snapshotter, String parent, String user, Lookup lookup) throws IOException {
        Key key = new Key(snapshotter, parent, user == null ? "" : user);
        synchronized (known) {
            ResolvedUser resolved = known.get(key);
            if (resolved != null) {
                return resolved;
            }
        }
        ResolvedUser resolved = lookup.resolve();
        synchronized (known) {
            known.put(key, resolved);
        }
        return resolved;
    }
}
