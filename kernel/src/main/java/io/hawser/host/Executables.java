package io.hawser.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Finds executables the way a shell does. */
public final class Executables {

    private static final Pattern PATH_SEPARATOR = Pattern.compile(":");

    private Executables() {}

    /**
     * Finds a program: a name containing {@code /} is taken as a path, any other name is looked
     * up in the directories of {@code PATH} in order.
     *
     * @return the executable file, or empty when there is none
     */
    public static Optional<Path> find(String program) {
        return find(program, System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    /** Like {@link #find(String)} with an explicit search path. */
    public static Optional<Path> find(String program, String searchPath) {
        if (program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path path = Path.of(program);
            return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
        }
        return PATH_SEPARATOR.splitAsStream(searchPath)
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Executables::isExecutableFile)
                .findFirst();
    }

    /**
     * The message a plugin reports when a program it needs is missing, naming where it looked.
     */
    public static String notFound(String program) {
        return program.contains("/")
                ? program + " not found or not executable"
                : program + " not found in PATH (" + System.getenv().getOrDefault("PATH", "") + ")";
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
