package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds a process's program in a container's root filesystem the way {@code execve} with a search
 * path would, to name a missing program when the runtime's own error does not: runc 1.1 reports a
 * failed start inside a joined PID namespace as "cannot toggle freezer", losing the exec error.
 * Symbolic links are resolved inside the root, never on the host, as the container sees them.
 */
final class CommandLookup {

    /** The search path when the process sets none, the one runc uses. */
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int MAX_LINKS = 40;

    private CommandLookup() {}

    /**
     * Why the process's program cannot run, when it is missing or not executable; empty when it
     * is there (the runtime's error then says what else went wrong).
     *
     * @param process the OCI {@code process} object
     */
    static Optional<String> problem(Path rootfs, JsonNode process) {
        String program = process.path("args").path(0).asText("");
        if (program.isEmpty()) {
            return Optional.of("the process has no program to run (empty args)");
        }
        List<String> candidates;
        if (program.contains("/")) {
            String cwd = process.path("cwd").asText("/");
            candidates = List.of(program.startsWith("/") ? program : cwd + "/" + program);
        } else {
            candidates = List.of(searchPath(process).split(":")).stream()
                    .filter(directory -> !directory.isEmpty())
                    .map(directory -> directory + "/" + program)
                    .toList();
        }
        for (String candidate : candidates) {
            Optional<Path> found = resolveInRoot(rootfs, candidate);
            if (found.isPresent() && Files.isRegularFile(found.get(), LinkOption.NOFOLLOW_LINKS)) {
                if (executable(found.get())) {
                    return Optional.empty();
                }
                return Optional.of("'" + candidate + "' in the container is not executable");
            }
        }
        return Optional.of(program.contains("/")
                ? "executable file '" + program + "' not found in the container"
                : "executable file '" + program + "' not found in $PATH (" + searchPath(process) + ") in the container");
    }

    private static String searchPath(JsonNode process) {
        for (JsonNode entry : process.path("env")) {
            if (entry.asText().startsWith("PATH=")) {
                return entry.asText().substring("PATH=".length());
            }
        }
        return DEFAULT_PATH;
    }

    private static boolean executable(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return permissions.contains(PosixFilePermission.OWNER_EXECUTE)
                    || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                    || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The host path of a container path: each component looked up under {@code root}, a link's
     * target read and resolved from the root (absolute) or its directory (relative), {@code ..}
     * never above the root. Empty when a component is missing or links loop.
     */
    static Optional<Path> resolveInRoot(Path root, String path) {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Deque<String> resolved = new ArrayDeque<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String component = pending.pop();
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                resolved.pollLast();
                continue;
            }
            Path current = hostPath(root, resolved).resolve(component);
            if (Files.isSymbolicLink(current)) {
                if (++links > MAX_LINKS) {
                    return Optional.empty();
                }
                String target;
                try {
                    target = Files.readSymbolicLink(current).toString();
                } catch (IOException e) {
                    return Optional.empty();
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                push(pending, target);
                continue;
            }
            if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            resolved.addLast(component);
        }
        return Optional.of(hostPath(root, resolved));
    }

    private static void push(Deque<String> pending, String path) {
        String[] components = path.split("/");
        for (int i = components.length - 1; i >= 0; i--) {
            pending.push(components[i]);
        }
    }

    private static Path hostPath(Path root, Deque<String> components) {
        Path path = root;
        for (String component : components) {
            path = path.resolve(component);
        }
        return path;
    }
}
