package io.hawser.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code bin/hawserd} of an assembled distribution, started on a fresh temporary root and state
 * with its output in a log file, and its {@code bin/hawser} pointed at its socket.
 */
final class Hawserd implements AutoCloseable {

    /** The distribution the build assembled. */
    static final Path DISTRIBUTION = Path.of(System.getProperty("hawser.distribution"));

    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** A command's exit status and output. */
    record Result(int status, String out, String err) {}

    final Path home;
    /** The temporary directory holding root, state and logs. */
    final Path work;
    final Path root;
    final Path state;
    final Path socket;
    final Path log;
    private final List<String> args;
    private final Map<String, String> environment;
    /** The running daemon; replaced by {@link #killAndRestart()}. */
    Process process;

    private Hawserd(Path home, Path work, Map<String, String> environment, List<String> extraArgs) throws IOException {
        this.home = home;
        this.work = work;
        // short paths: unix socket addresses are limited to 108 bytes
        this.root = work.resolve("root");
        this.state = work.resolve("state");
        this.socket = state.resolve("hawser.sock");
        this.log = work.resolve("hawserd.log");
        this.args = new ArrayList<>(List.of("--root", root.toString(), "--state", state.toString()));
        this.args.addAll(extraArgs);
        this.environment = Map.copyOf(environment);
        this.process = start(home, args, log, environment);
    }

    /** Starts the daemon of {@code home} and waits until it serves the CLI. */
    static Hawserd serving(Path home, String... extraArgs) throws Exception {
        return serving(home, Map.of(), extraArgs);
    }

    /** Starts the daemon of {@code home} with extra environment variables and waits until it serves. */
    static Hawserd serving(Path home, Map<String, String> environment, String... extraArgs) throws Exception {
        Hawserd daemon = new Hawserd(home, Files.createTempDirectory(Path.of("/tmp"), "hawserd-"), environment, List.of(extraArgs));
        daemon.awaitServed();
        return daemon;
    }

    /** Starts {@code bin/hawserd} with these arguments, its stdin empty, its output into {@code output}. */
    static Process start(Path home, List<String> args, Path output) throws IOException {
        return start(home, args, output, Map.of());
    }

    static Process start(Path home, List<String> args, Path output, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/hawserd").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    private void awaitServed() throws Exception {
        awaitTrue("hawserd serving on " + socket, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("hawserd exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            return Files.exists(socket) && hawser("version").status() == 0;
        });
    }

    /**
     * Kills the daemon with SIGKILL, as a crash would, and starts it again on the same root and
     * state, waiting until it serves.
     */
    void killAndRestart() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        process = start(home, args, log.resolveSibling("hawserd-restarted.log"), environment);
        awaitServed();
    }

    /** Runs {@code bin/hawser --address <socket> ARGS}. */
    Result hawser(String... args) throws Exception {
        return run(cli(args));
    }

    /** Runs {@code bin/hawser --address <socket> ARGS} with {@code input} as its stdin. */
    Result hawserWithInput(String input, String... args) throws Exception {
        Path in = Files.createTempFile("hawser-in-", ".txt");
        try {
            Files.writeString(in, input, StandardCharsets.UTF_8);
            return run(cli(args), in);
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /**
     * Starts {@code bin/hawser --address <socket> ARGS} without waiting, its stdin empty and its
     * stdout and stderr into {@code output}: for commands that follow, such as {@code logs -f}.
     */
    Process hawserInBackground(Path output, String... args) throws IOException {
        return new ProcessBuilder(cli(args)).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    /** {@code bin/hawser --address <socket> ARGS} as a command line. */
    List<String> cli(String... args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/hawser").toString(), "--address", socket.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Stops the daemon with SIGTERM and waits for it, failing when it does not stop in time. */
    void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("hawserd still running " + PATIENCE.toSeconds() + " s after SIGTERM:\n" + logText());
        }
    }

    /** The daemon's output so far. */
    String logText() throws IOException {
        return Files.readString(log);
    }

    /** Kills the daemon if it still runs, then removes its directory (root, state and logs). */
    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Leftovers.removeDirectory(work);
    }

    /** Runs a command to its end, at most a minute, with its stdin empty. */
    static Result run(List<String> command) throws Exception {
        return run(command, Path.of("/dev/null"));
    }

    /** Runs a command to its end, at most a minute, reading its stdin from {@code input}. */
    static Result run(List<String> command, Path input) throws Exception {
        Path out = Files.createTempFile("hawser-out-", ".txt");
        Path err = Files.createTempFile("hawser-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(input.toFile())).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A condition that may throw while it is checked. */
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits up to {@link #PATIENCE} for {@code check} to hold. */
    static void awaitTrue(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + PATIENCE.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
