package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.hawser.itest.Hawserd.Result;
import io.hawser.plugin.PluginStatus.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bin/hawserd} and {@code bin/hawser} from the assembled distribution as an operator
 * would: start on a temporary root and state, list plugins over the socket, stop with SIGTERM.
 */
class HawserdProcessTest {

    private Hawserd daemon;

    @BeforeEach
    void startDaemon() throws Exception {
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION);
    }

    @AfterEach
    void stopDaemon() throws Exception {
        daemon.close();
    }

    @Test
    void pluginsListsEveryPluginWithItsStatusAndStopsCleanlyOnSigterm() throws Exception {
        Result plugins = daemon.hawser("plugins");
        assertEquals(0, plugins.status(), plugins.err());
        List<String> lines = plugins.out().lines().toList();
        assertTrue(lines.getFirst().matches("TYPE\\s+ID\\s+BUNDLE\\s+STATUS\\s+REASON"), lines.getFirst());
        for (Map.Entry<String, State> expected : HostExpectations.expectedStates(daemon.root).entrySet()) {
            String[] typeAndId = expected.getKey().split("/");
            String row = lines.stream().filter(l -> l.startsWith(typeAndId[0] + " ") && l.split("\\s+")[1].equals(typeAndId[1]))
                    .findFirst().orElseThrow(() -> new AssertionError(expected.getKey() + " missing from\n" + plugins.out()));
            assertTrue(row.contains("  " + expected.getValue().label()), expected.getKey() + " should be " + expected.getValue().label() + ": " + row);
        }

        Set<ProcessHandle> family = descendantsAndSelf(daemon.process.toHandle());
        daemon.process.destroy(); // SIGTERM
        assertTrue(daemon.process.waitFor(30, TimeUnit.SECONDS), "hawserd stops within 30 s of SIGTERM");
        assertEquals(0, daemon.process.exitValue(), "exit status after SIGTERM; log:\n" + daemon.logText());
        for (ProcessHandle process : family) {
            assertFalse(process.isAlive(), "left running after stop: " + process.info());
        }
        assertFalse(Files.exists(daemon.socket), "socket removed on stop");
        String logText = daemon.logText();
        assertTrue(logText.contains("INFO  [hawserd] SIGTERM received, stopping"), logText);
        assertTrue(logText.contains("INFO  [hawserd] hawserd stopped"), logText);
    }

    @Test
    void theSocketIsRootOnlyAndInfoNamesTheDirectories() throws Exception {
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket)));
        assertEquals(System.getProperty("user.name"), Files.getOwner(daemon.socket).getName());

        Result info = daemon.hawser("info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("Root:     " + daemon.root), info.out());
        assertTrue(info.out().contains("State:    " + daemon.state), info.out());
        assertTrue(info.out().matches("(?s).*Plugins:  \\d+ \\(.*\\).*"), info.out());
        assertTrue(info.out().matches("(?s).*Uptime:   \\d+s.*"), info.out());

        Result version = daemon.hawser("version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().contains("Version:"), version.out());
    }

    @Test
    void fileInstallKeepsItsScratchInTheStateDirectoryNotInTmp() throws Exception {
        assertTrue(Files.isDirectory(daemon.state.resolve("osgi/fileinstall")), "no FileInstall scratch under " + daemon.state);
        Instant started = daemon.process.info().startInstant().orElseThrow();
        // FileInstall names its scratch fileinstall-<random>; a killed daemon never removed those in /tmp
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            List<Path> made = tmp.filter(p -> p.getFileName().toString().startsWith("fileinstall-"))
                    .filter(p -> !modified(p).isBefore(started)).toList();
            assertEquals(List.of(), made);
        }
    }

    private static Instant modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException gone) {
            return Instant.MIN;
        }
    }

    @Test
    void aSecondDaemonOnTheSameRootExitsWithAClearMessage() throws Exception {
        Path otherState = Files.createTempDirectory(Path.of("/tmp"), "hawserd-other-");
        Path secondLog = otherState.resolve("second.log");
        Process second = Hawserd.start(Hawserd.DISTRIBUTION,
                List.of("--root", daemon.root.toString(), "--state", otherState.resolve("state").toString()), secondLog);
        assertTrue(second.waitFor(30, TimeUnit.SECONDS), "the second daemon gives up");
        assertEquals(1, second.exitValue());
        String message = Files.readString(secondLog);
        assertTrue(message.contains("root " + daemon.root + " is in use by another hawserd (pid " + daemon.process.pid() + ")"), message);
        assertTrue(daemon.process.isAlive(), "the first daemon is untouched");
        Leftovers.removeDirectory(otherState);
    }

    @Test
    void cliErrorsComeWithAStatusAndAMessage() throws Exception {
        Result unknown = daemon.hawser("frobnicate");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("unknown command \"frobnicate\""), unknown.err());

        Result badFlag = daemon.hawser("plugins", "--bogus");
        assertEquals(2, badFlag.status());
        assertTrue(badFlag.err().contains("hawser plugins: unknown argument --bogus"), badFlag.err());

        Path nothing = daemon.state.resolve("nothing.sock");
        Result noDaemon = Hawserd.run(List.of(Hawserd.DISTRIBUTION.resolve("bin/hawser").toString(), "--address", nothing.toString(), "plugins"));
        assertEquals(1, noDaemon.status());
        assertTrue(noDaemon.err().contains("cannot reach hawserd at " + nothing), noDaemon.err());
    }

    @Test
    void aReaderThatClosesTheOutputEndsTheClientQuietly() throws Exception {
        Path err = Files.createTempFile("hawser-err-", ".txt");
        try {
            // as `hawser plugins | head -0`: the pipe's reader is gone before the first line comes
            Process client = new ProcessBuilder(daemon.cli("plugins")).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            client.getInputStream().close();
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "client still running");
            assertEquals(141, client.exitValue(), "the status of a program SIGPIPE ends");
            assertEquals("", Files.readString(err), "nothing on stderr");
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theGogoConsoleIsOfferedOnlyWhenStdinIsATerminal() throws Exception {
        assertFalse(daemon.logText().contains("g! "), "no console without a terminal");
        daemon.process.destroy();
        assertTrue(daemon.process.waitFor(30, TimeUnit.SECONDS));

        // script(1) gives hawserd a pseudo-terminal as stdin and stdout
        String commandLine = Hawserd.DISTRIBUTION.resolve("bin/hawserd") + " --root " + daemon.root + " --state " + daemon.state;
        Process console = new ProcessBuilder("script", "-qfec", commandLine, "/dev/null").redirectErrorStream(true).start();
        try {
            ConsoleReader screen = new ConsoleReader(console);
            screen.awaitText("g! ");
            console.getOutputStream().write("hawser:plugins --type io.hawser.frontend.v1\r".getBytes(StandardCharsets.UTF_8));
            console.getOutputStream().flush();
            screen.awaitText("io.hawser.frontend.v1  cli");
            // qualified: the console also has hawser:stop, which stops containers
            console.getOutputStream().write("felix:stop 0\r".getBytes(StandardCharsets.UTF_8));
            console.getOutputStream().flush();
            screen.awaitText("hawserd stopped");
            assertTrue(console.waitFor(30, TimeUnit.SECONDS), "hawserd ends after 'felix:stop 0' in its console");
        } finally {
            console.destroyForcibly();
        }
    }

    @Test
    void badDaemonArgumentsAreRefused() throws Exception {
        Result result = Hawserd.run(List.of(Hawserd.DISTRIBUTION.resolve("bin/hawserd").toString(), "--rot", "/tmp/x"));
        assertEquals(2, result.status());
        assertTrue(result.err().contains("hawserd: unknown argument --rot"), result.err());
    }

    private static Set<ProcessHandle> descendantsAndSelf(ProcessHandle process) {
        Set<ProcessHandle> all = new HashSet<>();
        all.add(process);
        process.descendants().forEach(all::add);
        return all;
    }
}
