package io.hawser.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonOptionsTest {

    @TempDir
    Path home;

    private DaemonOptions parse(String... argv) throws DaemonOptions.UsageException {
        return DaemonOptions.parse(List.of(argv), home).orElseThrow();
    }

    @Test
    void defaultsWithoutArguments() throws Exception {
        DaemonOptions options = parse();

        assertEquals(Path.of("/var/lib/hawser"), options.root());
        assertEquals(Path.of("/run/hawser"), options.state());
        assertEquals(Path.of("/etc/hawser"), options.config());
        assertEquals(home.resolve("deploy"), options.deploy());
        assertEquals(home.resolve("lib/bundles"), options.bundles());
        assertEquals(Level.INFO, options.logLevel());
    }

    @Test
    void configDefaultsToTheInstallationsEtcWhenItExists() throws Exception {
        Path etc = Files.createDirectory(home.resolve("etc"));

        assertEquals(etc.toAbsolutePath().normalize(), parse().config());
    }

    @Test
    void valueMayFollowAsTheNextArgumentOrAfterAnEqualsSign() throws Exception {
        assertEquals(Path.of("/srv/hawser"), parse("--root", "/srv/hawser").root());
        assertEquals(Path.of("/srv/hawser"), parse("--root=/srv/hawser").root());
        assertEquals(Path.of("/tmp/run"), parse("--state=/tmp/run").state());
        assertEquals(Path.of("/opt/etc"), parse("--config", "/opt/etc").config());
    }

    @Test
    void laterOptionOverridesAnEarlierOne() throws Exception {
        assertEquals(Path.of("/b"), parse("--root", "/a", "--root=/b").root());
    }

    @Test
    void relativePathsAreMadeAbsoluteAndNormalized() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();

        DaemonOptions options = parse("--root", "data", "--state=./run/../state", "--config", "/etc/x/../hawser");

        assertEquals(cwd.resolve("data"), options.root());
        assertEquals(cwd.resolve("state"), options.state());
        assertEquals(Path.of("/etc/hawser"), options.config());
        assertTrue(options.root().isAbsolute());
    }

    @Test
    void logLevelsMapToJavaLevelsIgnoringCase() throws Exception {
        assertEquals(Level.FINEST, parse("--log-level", "trace").logLevel());
        assertEquals(Level.FINE, parse("--log-level=debug").logLevel());
        assertEquals(Level.INFO, parse("--log-level", "INFO").logLevel());
        assertEquals(Level.WARNING, parse("--log-level", "warn").logLevel());
        assertEquals(Level.WARNING, parse("--log-level", "Warning").logLevel());
        assertEquals(Level.SEVERE, parse("--log-level", "error").logLevel());
    }

    @Test
    void invalidLogLevelIsAUsageErrorListingTheLevels() {
        var e = assertThrows(DaemonOptions.UsageException.class, () -> parse("--log-level", "loud"));

        assertEquals("--log-level loud is not one of trace, debug, info, warn, error", e.getMessage());
    }

    @Test
    void unknownArgumentIsAUsageError() {
        var flag = assertThrows(DaemonOptions.UsageException.class, () -> parse("--verbose"));
        var withValue = assertThrows(DaemonOptions.UsageException.class, () -> parse("--colour=always"));
        var positional = assertThrows(DaemonOptions.UsageException.class, () -> parse("--root", "/a", "extra"));

        assertEquals("unknown argument --verbose", flag.getMessage());
        assertEquals("unknown argument --colour=always", withValue.getMessage());
        assertEquals("unknown argument extra", positional.getMessage());
    }

    @Test
    void missingValueIsAUsageError() {
        var atEnd = assertThrows(DaemonOptions.UsageException.class, () -> parse("--root"));
        var empty = assertThrows(DaemonOptions.UsageException.class, () -> parse("--state="));

        assertEquals("--root needs a value", atEnd.getMessage());
        assertEquals("--state needs a value", empty.getMessage());
    }

    @Test
    void rootAndStateMustDiffer() {
        var e = assertThrows(DaemonOptions.UsageException.class, () -> parse("--root", "/srv/h", "--state", "/srv/h/"));

        assertEquals("--root and --state must be different directories: persistent data and runtime state are kept apart", e.getMessage());
    }

    @Test
    void helpAsksForNoOptions() throws Exception {
        assertEquals(Optional.empty(), DaemonOptions.parse(List.of("--help"), home));
        assertEquals(Optional.empty(), DaemonOptions.parse(List.of("--root", "/a", "-h"), home));
    }
}
