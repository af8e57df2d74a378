package io.hawser.kernel.internal.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.RuntimeSpec.Device;

/** Host device nodes described the way a runtime specification lists them. */
public final class HostDevices {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;

    private HostDevices() {
    }

    /**
     * The device at a host path, to be created at {@code containerPath} with the host node's type,
     * numbers, mode and owner.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} when the path does not exist or is no device
     */
    public static Device describe(Path hostPath, String containerPath) throws IOException {
        if (containerPath == null || !containerPath.startsWith("/")) {
            throw HawserException.invalidArgument("device path '" + containerPath + "' in the container must be absolute");
        }
        Map<String, Object> attributes;
        try {
            // a link such as /dev/disk/by-id/… names the device it points to
            attributes = Files.readAttributes(hostPath.toRealPath(), "unix:mode,rdev,uid,gid");
        } catch (NoSuchFileException e) {
            throw HawserException.invalidArgument("device " + hostPath + " does not exist on the host");
        }
        int mode = (Integer) attributes.get("mode");
        String type = switch (mode & S_IFMT) {
            case S_IFCHR -> "c";
            case S_IFBLK -> "b";
            case S_IFIFO -> "p";
            default -> throw HawserException.invalidArgument(hostPath + " is not a device node");
        };
        long rdev = (Long) attributes.get("rdev");
        return new Device(containerPath, type, major(rdev), minor(rdev), mode & 07777,
                ((Integer) attributes.get("uid")).longValue(), ((Integer) attributes.get("gid")).longValue());
    }

    /** The major number of a Linux {@code dev_t}, whose bits are split around the minor's. */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
