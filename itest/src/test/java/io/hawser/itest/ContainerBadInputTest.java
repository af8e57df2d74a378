package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.Test;

/**
 * Every bad request to {@code run} and the container commands is refused with an error that names
 * what is wrong, and leaves nothing behind: no container record, active snapshot, mount or
 * supervisor process. A runtime whose runc or conmon is missing refuses in the same way.
 */
class ContainerBadInputTest extends ContainerFixture {

    @Test
    void anUnknownImageRuntimeOrSnapshotterIsNamed() throws Exception {
        String missing = registry.host() + "/test/no-such-image:latest";
        assertRefused(List.of("no-such-image"), "run", "--rm", missing, "true");
        assertRefused(List.of("no-such-runtime"), "run", "--rm", "--runtime", "no-such-runtime", images.busybox(), "true");
        assertRefused(List.of("no-such-snapshotter"), "run", "--rm", "--snapshotter", "no-such-snapshotter", images.busybox(), "true");
    }

    @Test
    void aCommandTheImageDoesNotHaveExitsWith127() throws Exception {
        Traces before = traces();
        Result run = run("--rm", images.busybox(), "/bin/no-such-command");
        assertEquals(127, run.status(), "as a shell reports a command not found: " + run.err());
        assertTrue(run.err().contains("/bin/no-such-command"), run.err());
        assertEquals(before, traces());

        Result detached = run("-d", "--name", uniqueName("no-command"), images.busybox(), "no-such-command");
        assertNotEquals(0, detached.status());
        assertTrue(detached.err().contains("no-such-command"), detached.err());
        assertEquals(before, traces(), "a container whose task could not be created is not kept");
    }

    @Test
    void invalidLimitsAndUnknownUsersOrCapabilitiesAreNamed() throws Exception {
        assertRefused(List.of("12q"), "run", "--rm", "--memory", "12q", images.busybox(), "true");
        assertRefused(List.of("-5"), "run", "--rm", "--memory", "-5", images.busybox(), "true");
        assertRefused(List.of("lots"), "run", "--rm", "--cpus", "lots", images.busybox(), "true");
        assertRefused(List.of("nosuchuser"), "run", "--rm", "-u", "nosuchuser", images.busybox(), "true");
        assertRefused(List.of("NO_SUCH_CAP"), "run", "--rm", "--cap-add", "NO_SUCH_CAP", images.busybox(), "true");
    }

    @Test
    void aSeccompProfileThatCannotBeUsedIsNamedWithItsProblem() throws Exception {
        Path dir = Files.createTempDirectory("hawser-seccomp-");
        try {
            Path missing = dir.resolve("missing.json");
            assertRefused(List.of(missing + " does not exist"), "run", "--rm", "--security-opt", "seccomp=" + missing, images.busybox(), "true");
            Path malformed = Files.writeString(dir.resolve("malformed.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\",");
            assertRefused(List.of(malformed + " is not JSON"), "run", "--rm", "--security-opt", "seccomp=" + malformed,
                    images.busybox(), "true");
            Path unknownAction = Files.writeString(dir.resolve("action.json"), "{\"defaultAction\": \"SCMP_ACT_SOMETIMES\"}");
            assertRefused(List.of(unknownAction.toString(), "unknown action 'SCMP_ACT_SOMETIMES'"), "run", "-d", "--security-opt",
                    "seccomp=" + unknownAction, images.busybox(), "true");
            assertRefused(List.of("--security-opt apparmor=unconfined"), "run", "--rm", "--security-opt", "apparmor=unconfined",
                    images.busybox(), "true");
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void aNameIsTakenOnce() throws Exception {
        String name = uniqueName("taken");
        String id = runDetached(name, images.busybox(), "sleep", "1000");
        assertRefused(List.of(name), "run", "-d", "--name", name, images.busybox(), "true");
        assertEquals(1, containerNames().stream().filter(name::equals).count());
        assertEquals(0, daemon.hawser("rm", "-f", name).status());
        assertNoTraceOf(id);
    }

    @Test
    void containerCommandsRefuseWhatIsNotThereOrNotRunning() throws Exception {
        String stopped = uniqueName("stopped");
        runDetached(stopped, images.busybox(), "true");
        awaitStatus(stopped, "exited \\(0\\)");
        assertRefused(List.of(stopped), "exec", stopped, "echo", "hi");
        assertRefused(List.of(stopped), "kill", stopped);

        String running = uniqueName("running");
        runDetached(running, images.busybox(), "sleep", "1000");
        assertRefused(List.of(running), "rm", running);
        assertRefused(List.of("no-such-command"), "exec", running, "no-such-command");
        assertRefused(List.of("nosuchuser"), "exec", "-u", "nosuchuser", running, "true");
        assertEquals(0, daemon.hawser("rm", "-f", running).status());

        for (String command : List.of("exec", "logs", "kill", "stop", "rm", "pause", "resume", "inspect")) {
            List<String> args = command.equals("exec") ? List.of(command, "no-such-container", "true") : List.of(command, "no-such-container");
            assertRefused(List.of("no-such-container"), args.toArray(String[]::new));
        }
        assertRefused(List.of("--no-such-option"), "run", "--no-such-option", images.busybox());
    }

    @Test
    void aMissingRuncOrConmonIsAClearErrorAndLeavesNothing() throws Exception {
        Path config = Files.createTempDirectory(Path.of("/tmp"), "hawser-etc-");
        Path runtimeConfig = config.resolve("io.hawser.runtime.runc.cfg");
        Hawserd broken = Hawserd.serving(Hawserd.DISTRIBUTION, "--config", config.toString());
        try {
            assertEquals(0, broken.hawser("pull", images.busybox()).status());

            for (String setting : List.of("binary=/nonexistent/runc", "conmon=/nonexistent/conmon")) {
                String path = setting.substring(setting.indexOf('=') + 1);
                Files.writeString(runtimeConfig, setting + "\n");
                Hawserd.awaitTrue("the runc plugin reports " + path + " missing",
                        () -> broken.hawser("plugins").out().lines().anyMatch(l -> l.contains(" runc ") && l.contains(path)));
                Result run = broken.hawser("run", "--rm", images.busybox(), "true");
                assertNotEquals(0, run.status(), setting);
                assertTrue(run.err().contains("runc"), "names the runtime: " + run.err());
                Result ps = broken.hawser("ps", "-a");
                assertEquals(1, ps.out().lines().count(), "no container record:\n" + ps.out());
                assertEquals(List.of(), Leftovers.mountsUnder(broken.work), "no mount");
                assertEquals(List.of(), Leftovers.processesNaming(broken.work), "no process");
            }

            Files.delete(runtimeConfig);
            Hawserd.awaitTrue("runc works again once the configuration is gone",
                    () -> broken.hawser("run", "--rm", images.busybox(), "true").status() == 0);
            broken.stop();
            assertEquals(List.of(), Leftovers.mountsUnder(broken.work));
            deleteTree(broken.work);
        } finally {
            broken.close();
            Leftovers.forceRemoveContainers(broken.work);
            Files.deleteIfExists(runtimeConfig);
            Files.delete(config);
        }
    }

    /** Runs a hawser command that must fail, naming each of {@code named}, and leave no trace. */
    private void assertRefused(List<String> named, String... args) throws Exception {
        Traces before = traces();
        Result result = daemon.hawser(args);
        String command = "hawser " + String.join(" ", args);
        assertNotEquals(0, result.status(), command + " must fail; it printed " + result.out());
        for (String name : named) {
            assertTrue(result.err().contains(name), command + ": the error names " + name + ": " + result.err());
        }
        assertEquals(before, traces(), command + " leaves nothing behind");
    }
}
