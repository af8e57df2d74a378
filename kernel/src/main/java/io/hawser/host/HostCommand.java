package io.hawser.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host program to completion with a time limit: the btrfs command line, an OCI runtime's
 * subcommands, mkfs, mount and losetup in tests. A failure names the command, its exit status and
 * its stderr, so an operator can run the same command by hand.
 */
public final class HostCommand {

    private HostCommand() {}

    /**
     * Runs a command with no input.
     *
     * @return what the command wrote to stdout
     * @throws IOException when it cannot start, exits with a status other than 0, or runs longer
     *                     than {@code timeout} (it is killed then)
     */
    public static String run(Duration timeout, List<String> command) throws IOException {
        String shown = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(Path.of("/dev/null").toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start `" + shown + "`: " + e.getMessage(), e);
        }
        // both pipes drain on their own threads so a chatty program never blocks on a full pipe
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException("`" + shown + "` did not finish within " + timeout.toSeconds() + " s and was killed");
            }
            int status = process.exitValue();
            if (status != 0) {
                throw new IOException("`" + shown + "` exited with status " + status + ": " + stderr.get().strip());
            }
            return stdout.get();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for `" + shown + "`");
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of `" + shown + "`: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
