package io.hawser.kernel.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the machine running the tests has installed, for tests that drive real tools. */
public final class HostTools {

    private HostTools() {}

    /** Whether an executable of that name is on the PATH. */
    public static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(":")) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, tool))) {
                return true;
            }
        }
        return false;
    }
}
