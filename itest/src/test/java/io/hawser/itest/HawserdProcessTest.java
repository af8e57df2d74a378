package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/hawserd} and {@code bin/hawser} from the assembled distribution as an operator
 * would: start on a temporary root and state, list plugins over the socket, stop with SIGTERM.
 */
class HawserdProcessTest {

    private static final Path DISTRIBUTION = Path.of(System.getProperty("hawser.distribution"));
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);

    private Path root;
    private Path state;
    private Path socket;
    private Path log;
    private Process daemon;

    /** A command's exit status and output. */
    record Result(int status, String out, String err) {}

    @BeforeEach
    void startDaemon() throws Exception {
        // short paths: unix socket addresses are limited to 108 bytes
        Path work = Files.createTempDirectory(Path.of("/tmp"), "hawserd-");
        root = work.resolve("root");
        state = work.resolve("state");
        socket = state.resolve("hawser.sock");
        log = work.resolve("hawserd.log");
        daemon = hawserd(List.of("--root", root.toString(), "--state", state.toString()), log);
        awaitServed();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon.isAlive()) {
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void pluginsListsEveryPluginWithItsStatusAndStopsCleanlyOnSigterm() throws Exception {
        Result plugins = hawser("plugins");
        assertEquals(0, plugins.status(), plugins.err());
        List<String> lines = plugins.out().lines().toList();
        assertTrue(lines.getFirst().matches("TYPE\\s+ID\\s+BUNDLE\\s+STATUS\\s+REASON"), lines.getFirst());
        for (Map.Entry<String, State> expected : HostExpectations.expectedStates(root).entrySet()) {
            String[] typeAndId = expected.getKey().split("/");
            String row = lines.stream().filter(l -> l.startsWith(typeAndId[0] + " ") && l.split("\\s+")[1].equals(typeAndId[1]))
                    .findFirst().orElseThrow(() -> new AssertionError(expected.getKey() + " missing from\n" + plugins.out()));
            assertTrue(row.contains("  " + expected.getValue().label()), expected.getKey() + " should be " + expected.getValue().label() + ": " + row);
        }

        Set<ProcessHandle> family = descendantsAndSelf(daemon.toHandle());
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "hawserd stops within 30 s of SIGTERM");
        assertEquals(0, daemon.exitValue(), "exit status after SIGTERM; log:\n" + Files.readString(log));
        for (ProcessHandle process : family) {
            assertFalse(process.isAlive(), "left running after stop: " + process.info());
        }
        assertFalse(Files.exists(socket), "socket removed on stop");
        String logText = Files.readString(log);
        assertTrue(logText.contains("INFO  [hawserd] SIGTERM received, stopping"), logText);
        assertTrue(logText.contains("INFO  [hawserd] hawserd stopped"), logText);
    }

    @Test
    void theSocketIsRootOnlyAndInfoNamesTheDirectories() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(Files.getOwner(socket).getName(), System.getProperty("user.name"));

        Result info = hawser("info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("Root:     " + root), info.out());
        assertTrue(info.out().contains("State:    " + state), info.out());
        assertTrue(info.out().matches("(?s).*Plugins:  \\d+ \\(.*\\).*"), info.out());
        assertTrue(info.out().matches("(?s).*Uptime:   \\d+s.*"), info.out());

        Result version = hawser("version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().contains("Version:"), version.out());
    }

    @Test
    void aSecondDaemonOnTheSameRootExitsWithAClearMessage() throws Exception {
        Path otherState = Files.createTempDirectory(Path.of("/tmp"), "hawserd-other-");
        Path secondLog = otherState.resolve("second.log");
        Process second = hawserd(List.of("--root", root.toString(), "--state", otherState.toString()), secondLog);
        assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second daemon gives up");
        assertEquals(1, second.exitValue());
        String message = Files.readString(secondLog);
        assertTrue(message.contains("root " + root + " is in use by another hawserd (pid " + daemon.pid() + ")"), message);
        assertTrue(daemon.isAlive(), "the first daemon is untouched");
    }

    @Test
    void cliErrorsComeWithAStatusAndAMessage() throws Exception {
        Result unknown = hawser("frobnicate");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("unknown command \"frobnicate\""), unknown.err());

        Result badFlag = hawser("plugins", "--bogus");
        assertEquals(2, badFlag.status());
        assertTrue(badFlag.err().contains("hawser plugins: unknown argument --bogus"), badFlag.err());

        Result noDaemon = run(List.of(DISTRIBUTION.resolve("bin/hawser").toString(), "--address", state.resolve("nothing.sock").toString(), "plugins"));
        assertEquals(1, noDaemon.status());
        assertTrue(noDaemon.err().contains("cannot reach hawserd at " + state.resolve("nothing.sock")), noDaemon.err());
    }

    @Test
    void theGogoConsoleIsOfferedOnlyWhenStdinIsATerminal() throws Exception {
        assertFalse(Files.readString(log).contains("g! "), "no console without a terminal");
        daemon.destroy();
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));

        // script(1) gives hawserd a pseudo-terminal as stdin and stdout
        String commandLine = DISTRIBUTION.resolve("bin/hawserd") + " --root " + root + " --state " + state;
        Process console = new ProcessBuilder("script", "-qfec", commandLine, "/dev/null").redirectErrorStream(true).start();
        try {
            ConsoleReader screen = new ConsoleReader(console);
            screen.awaitText("g! ");
            console.getOutputStream().write("hawser:plugins --type io.hawser.frontend.v1\r".getBytes(StandardCharsets.UTF_8));
            console.getOutputStream().flush();
            screen.awaitText("io.hawser.frontend.v1  cli");
            console.getOutputStream().write("stop 0\r".getBytes(StandardCharsets.UTF_8));
            console.getOutputStream().flush();
            screen.awaitText("hawserd stopped");
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "hawserd ends after 'stop 0' in its console");
        } finally {
            console.destroyForcibly();
        }
    }

    /** Collects what a process prints, so a test can wait for a piece of text. */
    private static final class ConsoleReader {
        private final StringBuffer text = new StringBuffer();

        ConsoleReader(Process process) {
            Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[4096];
                try (var in = process.getInputStream()) {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        void awaitText(String expected) throws InterruptedException {
            Instant deadline = Instant.now().plus(READY_WITHIN);
            while (!text.toString().contains(expected)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("no \"" + expected + "\" on the console within " + READY_WITHIN + ":\n" + text);
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void badDaemonArgumentsAreRefused() throws Exception {
        Result result = run(List.of(DISTRIBUTION.resolve("bin/hawserd").toString(), "--rot", "/tmp/x"));
        assertEquals(2, result.status());
        assertTrue(result.err().contains("hawserd: unknown argument --rot"), result.err());
    }

    private Process hawserd(List<String> args, Path output) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(DISTRIBUTION.resolve("bin/hawserd").toString());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    private void awaitServed() throws Exception {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (true) {
            if (!daemon.isAlive()) {
                throw new AssertionError("hawserd exited with " + daemon.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.exists(socket) && hawser("version").status() == 0) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("hawserd not serving after " + READY_WITHIN + ":\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

    private Result hawser(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(DISTRIBUTION.resolve("bin/hawser").toString(), "--address", socket.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(List<String> command) throws Exception {
        Path out = Files.createTempFile("hawser-out-", ".txt");
        Path err = Files.createTempFile("hawser-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
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

    private static Set<ProcessHandle> descendantsAndSelf(ProcessHandle process) {
        Set<ProcessHandle> all = new HashSet<>();
        all.add(process);
        process.descendants().forEach(all::add);
        return all;
    }
}
