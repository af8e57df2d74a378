package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.commands.internal.StreamsContext;
import io.hawser.containers.ContainerConfig;
import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOptionsTest {

    @TempDir
    Path dir;

    @Test
    void everyOptionReachesTheContainerConfiguration() throws CommandException {
        RunOptions options = RunOptions.parse(List.of("--rm", "-it", "--name", "web", "-e", "A=1", "--env=B=2", "-w", "/srv",
                "-u", "1000:1000", "--runtime", "runc", "--snapshotter", "btrfs", "-m", "64m", "--cpus", "0.5", "--pids-limit", "20",
                "--read-only", "--cap-add", "NET_ADMIN", "--cap-add=SYS_TIME", "--cap-drop", "CHOWN", "--privileged", "--hostname", "box",
                "busybox", "sh", "-c", "echo hi"));

        assertTrue(options.rm());
        assertTrue(options.interactive());
        assertTrue(options.tty());
        assertFalse(options.detach());
        ContainerConfig config = options.config("docker.io/library/busybox:latest", options.env(), context());

        assertEquals("docker.io/library/busybox:latest", config.image());
        assertEquals("web", config.name());
        assertEquals(List.of("A=1", "B=2"), config.env());
        assertEquals("/srv", config.workdir());
        assertEquals("1000:1000", config.user());
        assertEquals("runc", config.runtime());
        assertEquals("btrfs", config.snapshotter());
        assertEquals("64m", config.memoryLimit());
        assertEquals("0.5", config.cpus());
        assertEquals(20L, config.pidsLimit());
        assertTrue(config.readOnlyRootfs());
        assertEquals(List.of("NET_ADMIN", "SYS_TIME"), config.capAdd());
        assertEquals(List.of("CHOWN"), config.capDrop());
        assertTrue(config.privileged());
        assertEquals("box", config.hostname());
        assertTrue(config.terminal());
        assertTrue(config.stdin());
        assertTrue(config.stdinOnce(), "attached input closes when the client detaches");
        assertEquals(List.of("sh", "-c", "echo hi"), config.command());
        assertNull(config.entrypoint(), "the image's entrypoint stays");
        assertFalse(config.noNewPrivileges());
        assertNull(config.seccompProfile(), "the runtime default");
    }

    private StreamsContext context() {
        return new StreamsContext(System.out, System.err, InputStream.nullInputStream(), false, 80, dir);
    }

    @Test
    void securityOptionsChooseTheSeccompProfileAndNoNewPrivileges() throws CommandException {
        ContainerConfig unconfined = RunOptions.parse(List.of("--security-opt", "seccomp=unconfined", "--security-opt", "no-new-privileges",
                "busybox")).config("b", List.of(), context());
        assertEquals("unconfined", unconfined.seccompProfile());
        assertTrue(unconfined.noNewPrivileges());

        ContainerConfig relative = RunOptions.parse(List.of("--security-opt=seccomp=profiles/strict.json", "busybox"))
                .config("b", List.of(), context());
        assertEquals("localhost/" + dir.resolve("profiles/strict.json"), relative.seccompProfile(), "the daemon reads the caller's file");
        ContainerConfig absolute = RunOptions.parse(List.of("--security-opt", "seccomp:/etc/strict.json", "busybox"))
                .config("b", List.of(), context());
        assertEquals("localhost//etc/strict.json", absolute.seccompProfile());

        assertFalse(RunOptions.parse(List.of("--security-opt", "no-new-privileges=true", "--security-opt", "no-new-privileges=false",
                "busybox")).config("b", List.of(), context()).noNewPrivileges(), "the last one wins");
    }

    @Test
    void unknownOrIncompleteSecurityOptionsAreUsageErrorsNamingThem() {
        for (String bad : List.of("apparmor=unconfined", "seccomp", "seccomp=", "no-new-privileges=maybe")) {
            var e = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--security-opt", bad, "busybox")));
            assertEquals(CommandException.USAGE, e.status(), e.getMessage());
            assertTrue(e.getMessage().startsWith("--security-opt " + bad + ": "), e.getMessage());
        }
    }

    @Test
    void theCommandKeepsFlagsThatRunAlsoHas() throws CommandException {
        RunOptions options = RunOptions.parse(List.of("busybox", "ls", "-l", "-d", "--rm"));

        assertFalse(options.detach());
        assertFalse(options.rm());
        assertEquals(List.of("ls", "-l", "-d", "--rm"), options.command());
    }

    @Test
    void detachedInputStaysOpenForLaterClients() throws CommandException {
        ContainerConfig config = RunOptions.parse(List.of("-di", "busybox")).config("b", List.of(), context());

        assertTrue(config.stdin());
        assertFalse(config.stdinOnce());
    }

    @Test
    void anEmptyEntrypointClearsTheImagesAndOneWordReplacesIt() throws CommandException {
        assertEquals(List.of(), RunOptions.parse(List.of("--entrypoint", "", "busybox")).config("b", List.of(), context()).entrypoint());
        assertEquals(List.of("/bin/env"), RunOptions.parse(List.of("--entrypoint=/bin/env", "busybox")).config("b", List.of(), context()).entrypoint());
    }

    @Test
    void badInputIsAUsageErrorNamingIt() {
        var noImage = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--rm")));
        var pids = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--pids-limit", "many", "busybox")));
        var bareEnv = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("-e", "HOME", "busybox")));
        var unknown = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--bogus", "busybox")));

        assertTrue(noImage.getMessage().contains("needs an image"), noImage.getMessage());
        assertTrue(pids.getMessage().contains("--pids-limit many"), pids.getMessage());
        assertTrue(bareEnv.getMessage().contains("-e HOME: give KEY=VALUE"), bareEnv.getMessage());
        assertTrue(unknown.getMessage().contains("unknown argument --bogus"), unknown.getMessage());
    }

    @Test
    void envFilesComeFirstSoMinusEWinsAndCommentsAndBlankLinesAreSkipped() throws IOException, CommandException {
        Files.writeString(dir.resolve("app.env"), "# settings\nA=from-file\r\n\n  B=two words \nC=\n");
        RunOptions options = RunOptions.parse(List.of("--env-file", "app.env", "-e", "A=from-flag", "busybox"));

        List<String> env = options.environment(new StreamsContext(System.out, System.err, InputStream.nullInputStream(), false, 80, dir));

        assertEquals(List.of("A=from-file", "B=two words ", "C=", "A=from-flag"), env);
    }

    @Test
    void aMissingOrBadEnvFileIsNamed() throws IOException {
        Files.writeString(dir.resolve("bad.env"), "JUSTAKEY\n");
        var context = new StreamsContext(System.out, System.err, InputStream.nullInputStream(), false, 80, dir);

        var missing = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--env-file", "nope.env", "b")).environment(context));
        var bad = assertThrows(CommandException.class, () -> RunOptions.parse(List.of("--env-file", "bad.env", "b")).environment(context));

        assertTrue(missing.getMessage().contains("--env-file nope.env: cannot read"), missing.getMessage());
        assertTrue(bad.getMessage().contains("bad.env: JUSTAKEY: give KEY=VALUE"), bad.getMessage());
    }
}
