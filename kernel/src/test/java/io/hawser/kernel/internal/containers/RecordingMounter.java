package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;

import io.hawser.snapshots.Mount;
import io.hawser.snapshots.Mounter;

/**
 * A mounter that remembers what it mounted and detached and can be made to fail, around a real
 * or a fake one, so the same tests check cleanup either way.
 */
final class RecordingMounter implements Mounter {

    private final Mounter delegate;
    final Set<Path> mounted = new CopyOnWriteArraySet<>();
    final Set<Path> detached = new CopyOnWriteArraySet<>();
    /** How many mounts were made. */
    final AtomicInteger mounts = new AtomicInteger();
    /** The failure the next mount throws, if set. */
    volatile IOException failMount;

    RecordingMounter(Mounter delegate) {
        this.delegate = delegate;
    }

    @Override
    public void mount(List<Mount> mounts, Path target) throws IOException {
        if (failMount != null) {
            IOException failure = failMount;
            failMount = null;
            throw failure;
        }
        delegate.mount(mounts, target);
        this.mounts.incrementAndGet();
        mounted.add(target);
    }

    @Override
    public void unmount(Path target) throws IOException {
        delegate.unmount(target);
        mounted.removeIf(point -> point.startsWith(target));
    }

    @Override
    public void detach(Path target) throws IOException {
        detached.add(target);
        delegate.detach(target);
        mounted.removeIf(point -> point.startsWith(target));
    }
}
