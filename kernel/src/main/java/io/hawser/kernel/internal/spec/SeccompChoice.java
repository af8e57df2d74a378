package io.hawser.kernel.internal.spec;

import java.nio.file.Path;
import java.util.Objects;

import io.hawser.errors.HawserException;

/** Which system call filter a container asked for. A privileged container gets none whatever it asked. */
public sealed interface SeccompChoice {

    /** The runtime default profile, its rules chosen by the container's capabilities. */
    record RuntimeDefault() implements SeccompChoice {}

    /** No filter. */
    record Unconfined() implements SeccompChoice {}

    /** A profile read from a file on the daemon's host. */
    record Localhost(Path file, SeccompProfile profile) implements SeccompChoice {
        public Localhost {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(profile, "profile");
        }
    }

    String LOCALHOST_PREFIX = "localhost/";

    /**
     * The choice as the containers API writes it: {@code runtime/default} (or {@code null}),
     * {@code unconfined}, or {@code localhost/} followed by an absolute path to a profile file,
     * which is read now so that a bad file is refused before anything is created.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the value for anything else or a
     *                         relative path, naming the file for one that cannot be used
     */
    static SeccompChoice parse(String value) throws HawserException {
        if (value == null || value.equals("runtime/default")) {
            return new RuntimeDefault();
        }
        if (value.equals("unconfined")) {
            return new Unconfined();
        }
        if (value.startsWith(LOCALHOST_PREFIX)) {
            String path = value.substring(LOCALHOST_PREFIX.length());
            if (!path.startsWith("/") || path.indexOf('\0') >= 0) {
                throw HawserException.invalidArgument("seccomp profile '" + value
                        + "': localhost/ must be followed by an absolute path, as the daemon reads the file");
            }
            Path file = Path.of(path);
            return new Localhost(file, SeccompProfiles.localhost(file));
        }
        throw HawserException.invalidArgument("seccomp profile '" + value
                + "' is none of runtime/default, unconfined, localhost/ABSOLUTE_PATH");
    }
}
