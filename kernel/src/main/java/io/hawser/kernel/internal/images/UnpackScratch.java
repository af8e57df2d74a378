package io.hawser.kernel.internal.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.hawser.host.MountTable;
import io.hawser.plugin.Daemon;
import io.hawser.snapshots.Mounter;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * At start, takes down what a daemon killed in the middle of an unpack left in
 * {@code <state>/unpack}: the mounts of the snapshots it was applying layers to, and their mount
 * points. (The snapshots themselves go when the image service next starts.) The mounter is got
 * only when there is something to unmount.
 */
@Component(immediate = true, service = {})
public final class UnpackScratch {

    private static final System.Logger LOG = System.getLogger(UnpackScratch.class.getName());

    @Activate
    public UnpackScratch(@Reference Daemon daemon, @Reference ComponentServiceObjects<Mounter> mounters) throws IOException {
        Path scratch = scratch(daemon);
        List<Path> stale = MountTable.current().mounts().stream()
                .map(MountTable.Mount::mountPoint)
                .filter(point -> point.startsWith(scratch) && !point.equals(scratch))
                .distinct()
                .toList();
        if (!stale.isEmpty()) {
            Mounter mounter = mounters.getService();
            try {
                for (Path point : stale) {
                    LOG.log(System.Logger.Level.WARNING, "unmounting " + point + ", left by an interrupted unpack");
                    mounter.detach(point);
                }
            } finally {
                mounters.ungetService(mounter);
            }
        }
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> leftovers = Files.list(scratch)) {
                for (Path leftover : leftovers.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(leftover);
                }
            }
        }
    }

    /** Where unpacks mount the snapshots they apply layers to. */
    static Path scratch(Daemon daemon) {
        return daemon.state().resolve("unpack");
    }
}
