package io.hawser.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;

/**
 * The command line of {@code hawserd}.
 *
 * @param root     persistent data ({@code --root}, default {@code /var/lib/hawser})
 * @param state    sockets and runtime state ({@code --state}, default {@code /run/hawser})
 * @param config   configuration, watched ({@code --config}, default {@code <home>/etc}, else {@code /etc/hawser})
 * @param deploy   bundles dropped here are installed ({@code <home>/deploy})
 * @param bundles  the daemon's own bundles ({@code <home>/lib/bundles})
 * @param logLevel the least severe level printed ({@code --log-level})
 */
public record DaemonOptions(Path root, Path state, Path config, Path deploy, Path bundles, Level logLevel) {

    static final String USAGE = """
            usage: hawserd [--root DIR] [--state DIR] [--config DIR] [--log-level LEVEL]

            Runs the Hawser daemon in the foreground; SIGTERM or SIGINT stops it.

              --root DIR         persistent data: content, metadata, snapshots (default /var/lib/hawser)
              --state DIR        sockets, task bundles, shim state (default /run/hawser)
              --config DIR       configuration, watched for changes (default <install>/etc, else /etc/hawser)
              --log-level LEVEL  trace, debug, info, warn or error (default info)
            """;

    /** A command line that cannot be run: the message says what is wrong with it. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses the command line.
     *
     * @param home the installation directory (holding {@code lib/}, {@code etc/}, {@code deploy/})
     * @return the options, or empty when {@code --help} was asked for
     */
    public static Optional<DaemonOptions> parse(List<String> argv, Path home) throws UsageException {
        Path root = Path.of("/var/lib/hawser");
        Path state = Path.of("/run/hawser");
        Path config = Files.isDirectory(home.resolve("etc")) ? home.resolve("etc") : Path.of("/etc/hawser");
        Level level = Level.INFO;
        List<String> args = new ArrayList<>(argv);
        while (!args.isEmpty()) {
            String arg = args.removeFirst();
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                return Optional.empty();
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (!args.isEmpty() && List.of("--root", "--state", "--config", "--log-level").contains(name)) {
                value = args.removeFirst();
            } else if (List.of("--root", "--state", "--config", "--log-level").contains(name)) {
                throw new UsageException(name + " needs a value");
            } else {
                throw new UsageException("unknown argument " + arg);
            }
            if (value.isEmpty()) {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "--root" -> root = Path.of(value);
                case "--state" -> state = Path.of(value);
                case "--config" -> config = Path.of(value);
                case "--log-level" -> level = level(value);
                default -> throw new UsageException("unknown argument " + arg);
            }
        }
        if (root.toAbsolutePath().normalize().equals(state.toAbsolutePath().normalize())) {
            throw new UsageException("--root and --state must be different directories: persistent data and runtime state are kept apart");
        }
        return Optional.of(new DaemonOptions(root.toAbsolutePath().normalize(), state.toAbsolutePath().normalize(),
                config.toAbsolutePath().normalize(), home.resolve("deploy"), home.resolve("lib/bundles"), level));
    }

    private static Level level(String name) throws UsageException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> throw new UsageException("--log-level " + name + " is not one of trace, debug, info, warn, error");
        };
    }
}
