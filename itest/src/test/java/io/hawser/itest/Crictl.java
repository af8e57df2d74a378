package io.hawser.itest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hawser.itest.Hawserd.Result;

/**
 * The real {@code crictl} from {@code scripts/cri-tools}, run against a daemon's CRI socket. The
 * script is run when crictl is missing; tests skip, saying why, only when it cannot be built.
 */
final class Crictl {

    private static final Path SOURCE = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path CRICTL = SOURCE.resolve("target/cri-tools/bin/crictl");

    private final Path socket;
    // an empty configuration file, so crictl does not warn on every run that /etc/crictl.yaml is missing
    private final Path config;

    Crictl(Path socket) throws java.io.IOException {
        this.socket = socket;
        this.config = Files.createTempFile("crictl", ".yaml");
        config.toFile().deleteOnExit();
    }

    /** Builds crictl when missing; skips the calling test class when that fails. */
    static void assumeInstalled() throws Exception {
        if (!Files.isExecutable(CRICTL)) {
            Process install = new ProcessBuilder(SOURCE.resolve("scripts/cri-tools").toString()).inheritIO().start();
            if (!install.waitFor(15, TimeUnit.MINUTES)) {
                install.destroyForcibly();
            }
        }
        if (!Files.isExecutable(CRICTL)) {
            String reason = "crictl could not be installed by scripts/cri-tools (no Go toolchain or no module proxy): CRI tests skipped";
            System.out.println(reason);
            assumeTrue(false, reason);
        }
    }

    /** Runs {@code crictl ARGS} against the socket, as runtime and image endpoint. */
    Result run(String... args) throws Exception {
        return Hawserd.run(command(args));
    }

    /** Starts {@code crictl ARGS} (such as {@code events}) for the caller to read and end. */
    java.lang.Process start(String... args) throws Exception {
        return new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The command line of {@code crictl ARGS}, for a shell pipeline. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(CRICTL.toString(), "--config", config.toString(),
                "--runtime-endpoint", "unix://" + socket, "--image-endpoint", "unix://" + socket,
                "--timeout", Duration.ofSeconds(30).toSeconds() + "s"));
        command.addAll(List.of(args));
        return command;
    }
}
