package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code hawser run} on real runc and conmon: what the container prints and how it exits, what the
 * image configuration and the command line give its process (command, environment, directory,
 * user and groups, host name, capabilities, seccomp filter, no-new-privileges, read-only root),
 * stdin, and a real terminal.
 */
class ContainerRunTest extends ContainerFixture {

    /** The effective capabilities containerd gives a container by default (its {@code oci.defaultUnixCaps}). */
    private static final long DEFAULT_CAPS = 0xa80425fbL;
    private static final int CAP_NET_RAW = 13;
    private static final int CAP_SYS_ADMIN = 21;

    @Test
    void runPrintsWhatTheContainerPrintsAndExitsWithItsStatus() throws Exception {
        Traces before = traces();

        Result hi = run("--rm", images.busybox(), "echo", "hi");
        assertEquals(0, hi.status(), hi.err());
        assertEquals("hi\n", hi.out());

        Result three = run("--rm", images.busybox(), "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, three.status(), three.err());
        assertEquals("out\n", three.out());
        assertTrue(three.err().contains("err\n"), "the container's stderr goes to the client's: " + three.err());

        assertEquals(before, traces(), "--rm leaves no container, snapshot, mount or process");
    }

    @Test
    void runPullsAnImageThatIsMissing() throws Exception {
        Result run = run("--rm", images.unpulled(), "echo", "pulled and ran");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().endsWith("pulled and ran\n"), run.out());
        assertTrue(daemon.hawser("images").out().contains(images.unpulled()), "the image is kept");
    }

    @Test
    void theImageConfigurationGivesEntrypointCommandEnvironmentDirectoryAndUser() throws Exception {
        assertEquals("hello from /srv as app\n", runOk("--rm", images.configured()));
        assertEquals("bye from /tmp as root\n", runOk("--rm", "-e", "GREETING=bye", "-w", "/tmp", "-u", "root", images.configured()));
        // arguments replace Cmd; the entrypoint (sh -c) stays
        assertEquals("hello\n", runOk("--rm", images.configured(), "echo $GREETING"));

        Path envFile = Files.createTempFile("hawser-env-", ".env");
        try {
            Files.writeString(envFile, "# a comment, then a variable\nGREETING=from a file\n");
            assertEquals("from a file from /srv as app\n", runOk("--rm", "--env-file", envFile.toString(), images.configured()));
        } finally {
            Files.delete(envFile);
        }

        assertEquals("box-1\n", runOk("--rm", "--hostname", "box-1", images.busybox(), "hostname"));
        String env = runOk("--rm", "-e", "EXTRA=1", images.busybox(), "env");
        assertTrue(env.lines().anyMatch(l -> l.startsWith("PATH=")), env);
        assertTrue(env.lines().anyMatch(l -> l.equals("EXTRA=1")), env);
    }

    @Test
    void aNonRootUserRunsWithItsGroupAndSupplementaryGroupsFromTheImage() throws Exception {
        for (String user : new String[] {"app", "1000"}) {
            String id = runOk("--rm", "-u", user, images.busybox(), "id");
            assertTrue(id.startsWith("uid=1000(app) gid=1000(app) "), "-u " + user + ": " + id);
            assertSupplementaryGroups(id);
        }
        String imageUser = runOk("--rm", images.configured(), "id");
        assertTrue(imageUser.startsWith("uid=1000(app) gid=1000(app) "), imageUser);
        assertSupplementaryGroups(imageUser);

        String root = runOk("--rm", images.busybox(), "id");
        assertTrue(root.startsWith("uid=0(root) gid=0(root)"), root);

        Result unwritable = run("--rm", "-u", "app", images.busybox(), "touch", "/srv/x");
        assertNotEquals(0, unwritable.status(), "app may not write root's /srv");
        assertTrue(unwritable.err().contains("Permission denied"), unwritable.err());
    }

    @Test
    void aReadOnlyRootFilesystemRefusesWritesButShmStaysWritable() throws Exception {
        Result readOnly = run("--rm", "--read-only", images.busybox(), "touch", "/srv/x");
        assertNotEquals(0, readOnly.status());
        assertTrue(readOnly.err().contains("Read-only file system"), readOnly.err());
        assertEquals("", runOk("--rm", "--read-only", images.busybox(), "touch", "/dev/shm/x"));
        assertEquals("", runOk("--rm", images.busybox(), "touch", "/srv/x"));
    }

    @Test
    void capabilitiesAreContainerdsDefaultsChangedByCapAddAndCapDrop() throws Exception {
        assertEquals(DEFAULT_CAPS, effectiveCaps());
        assertEquals(DEFAULT_CAPS & ~(1L << CAP_NET_RAW), effectiveCaps("--cap-drop", "NET_RAW"));
        assertEquals(DEFAULT_CAPS | (1L << CAP_SYS_ADMIN), effectiveCaps("--cap-add", "SYS_ADMIN"));
        assertEquals(DEFAULT_CAPS | (1L << CAP_SYS_ADMIN), effectiveCaps("--cap-add", "CAP_SYS_ADMIN"));

        Result chown = run("--rm", "--cap-drop", "CHOWN", images.busybox(), "chown", "1", "/srv");
        assertNotEquals(0, chown.status(), "chown without CAP_CHOWN");
        assertTrue(chown.err().contains("Operation not permitted"), chown.err());
        assertEquals("", runOk("--rm", images.busybox(), "chown", "1", "/srv"));
    }

    @Test
    void privilegedGivesEveryCapabilityTheDaemonHasAndLetsTheContainerMount() throws Exception {
        assertEquals(capabilities("CapBnd", Files.readString(Path.of("/proc/self/status"))), effectiveCaps("--privileged"),
                "a privileged container has the daemon's bounding set");
        String mountTmpfs = "mkdir /tmp/m && mount -t tmpfs none /tmp/m && echo mounted";
        assertEquals("mounted\n", runOk("--rm", "--privileged", images.busybox(), "sh", "-c", mountTmpfs));
        Result unprivileged = run("--rm", images.busybox(), "sh", "-c", mountTmpfs);
        assertNotEquals(0, unprivileged.status());
        assertTrue(unprivileged.err().contains("mount"), unprivileged.err());
    }

    @Test
    void stdinReachesTheContainerOnlyWithI() throws Exception {
        String input = "line one\nline two\n";
        Result cat = daemon.hawserWithInput(input, "run", "--rm", "-i", images.busybox(), "cat");
        assertEquals(0, cat.status(), cat.err());
        assertEquals(input, cat.out());

        Result count = daemon.hawserWithInput(input, "run", "--rm", "-i", images.busybox(), "wc", "-l");
        assertEquals("2", count.out().strip());

        Result without = daemon.hawserWithInput(input, "run", "--rm", images.busybox(), "cat");
        assertEquals(0, without.status(), without.err());
        assertEquals("", without.out(), "no -i: the container's stdin is empty");
    }

    @Test
    void dashTGivesTheContainerATerminalOfTheClientsSize() throws Exception {
        // script(1) gives the CLI a terminal, sized by stty before the CLI starts
        String commandLine = "stty rows 31 cols 97; " + shellWords(daemon.cli("run", "--rm", "-t", images.busybox(), "sh", "-c", "tty; stty size; exit 6"));
        Process script = new ProcessBuilder("script", "-qfec", commandLine, "/dev/null").redirectErrorStream(true).start();
        ConsoleReader screen = new ConsoleReader(script);
        try {
            assertTrue(script.waitFor(60, TimeUnit.SECONDS), "run -t ends");
            assertEquals(6, script.exitValue(), screen.text());
            assertTrue(screen.text().contains("/dev/pts/0"), "the process's stdin is the container's terminal: " + screen.text());
            assertTrue(screen.text().contains("31 97"), "the terminal has the client's size: " + screen.text());
        } finally {
            script.destroyForcibly();
        }
    }

    @Test
    void dashItIsAnInteractiveShell() throws Exception {
        Process script = new ProcessBuilder("script", "-qfec", shellWords(daemon.cli("run", "--rm", "-it", images.busybox(), "sh")), "/dev/null")
                .redirectErrorStream(true).start();
        ConsoleReader screen = new ConsoleReader(script);
        try {
            type(script, "echo $((6 * 7))\r");
            screen.awaitText("42");
            type(script, "exit 5\r");
            assertTrue(script.waitFor(30, TimeUnit.SECONDS), "the session ends when its shell exits: " + screen.text());
            assertEquals(5, script.exitValue(), screen.text());
        } finally {
            script.destroyForcibly();
        }
    }

    private String runOk(String... args) throws Exception {
        Result result = run(args);
        assertEquals(0, result.status(), "run " + String.join(" ", args) + ": " + result.err());
        return result.out();
    }

    private long effectiveCaps(String... options) throws Exception {
        String[] args = new String[options.length + 4];
        args[0] = "--rm";
        System.arraycopy(options, 0, args, 1, options.length);
        args[options.length + 1] = images.busybox();
        args[options.length + 2] = "cat";
        args[options.length + 3] = "/proc/self/status";
        return capabilities("CapEff", runOk(args));
    }

    private static long capabilities(String field, String status) {
        Matcher matcher = Pattern.compile("(?m)^" + field + ":\\s*([0-9a-f]+)$").matcher(status);
        assertTrue(matcher.find(), field + " in\n" + status);
        return HexFormat.fromHexDigitsToLong(matcher.group(1));
    }

    @Test
    void theRuntimeDefaultSeccompFilterKeepsAContainerFromCreatingNamespaces() throws Exception {
        assertEquals("Seccomp:\t2\n", runOk("--rm", images.busybox(), "grep", "^Seccomp:", "/proc/self/status"), "filter mode");
        Result unshare = run("--rm", images.busybox(), "unshare", "-U", "true");
        assertNotEquals(0, unshare.status(), "a user namespace needs no capability; the filter is what refuses it");
        assertTrue(unshare.err().contains("Operation not permitted"), unshare.err());

        assertEquals("Seccomp:\t0\n", runOk("--rm", "--security-opt", "seccomp=unconfined", images.busybox(),
                "grep", "^Seccomp:", "/proc/self/status"));
        assertEquals("", runOk("--rm", "--security-opt", "seccomp=unconfined", images.busybox(), "unshare", "-U", "true"));
        // the rules follow the capabilities: with CAP_SYS_ADMIN the default filter allows unshare
        assertEquals("Seccomp:\t2\nin\n", runOk("--rm", "--cap-add", "SYS_ADMIN", images.busybox(),
                "sh", "-c", "grep ^Seccomp: /proc/self/status && unshare -U echo in"));
        assertEquals("Seccomp:\t0\n", runOk("--rm", "--privileged", images.busybox(), "grep", "^Seccomp:", "/proc/self/status"),
                "a privileged container has no filter");
    }

    @Test
    void aLocalhostSeccompProfileDeniesWhatItNames() throws Exception {
        Path profile = Files.createTempFile("hawser-seccomp-", ".json");
        try {
            Files.writeString(profile, """
                    {"defaultAction": "SCMP_ACT_ALLOW",
                     "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}""");
            Result mkdir = run("--rm", "--security-opt", "seccomp=" + profile, images.busybox(), "mkdir", "/tmp/d");
            assertNotEquals(0, mkdir.status());
            assertTrue(mkdir.err().contains("Operation not permitted"), mkdir.err());
            assertEquals("Seccomp:\t2\n", runOk("--rm", "--security-opt", "seccomp=" + profile, images.busybox(),
                    "sh", "-c", "touch /tmp/f && grep ^Seccomp: /proc/self/status"), "what the profile does not name is allowed");
            assertEquals("", runOk("--rm", images.busybox(), "mkdir", "/tmp/d"), "the default filter allows mkdir");
        } finally {
            Files.delete(profile);
        }
    }

    @Test
    void noNewPrivilegesIsSetWhenAsked() throws Exception {
        assertEquals("NoNewPrivs:\t0\n", runOk("--rm", images.busybox(), "grep", "^NoNewPrivs:", "/proc/self/status"));
        assertEquals("NoNewPrivs:\t1\n", runOk("--rm", "--security-opt", "no-new-privileges", images.busybox(),
                "grep", "^NoNewPrivs:", "/proc/self/status"));
    }

    /**
     * Busybox's {@code id} lists the supplementary groups ({@code getgroups}) after {@code groups=}:
     * app's are audio and video, from the image's {@code /etc/group}; its primary group may be
     * listed too (CRI adds it, containerd's {@code ctr} does not).
     */
    private static void assertSupplementaryGroups(String id) {
        Matcher matcher = Pattern.compile("groups=(\\S+)").matcher(id);
        assertTrue(matcher.find(), id);
        Set<String> groups = new TreeSet<>(Set.of(matcher.group(1).split(",")));
        groups.remove("1000(app)");
        assertEquals(Set.of("29(audio)", "44(video)"), groups, id);
    }
}
