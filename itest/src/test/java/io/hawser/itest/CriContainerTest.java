package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.itest.Hawserd.Result;
import io.hawser.itest.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRI containers of {@code bin/hawserd} on real runc and conmon, driven by the real {@code crictl}
 * on a {@link CriNode}: containers join their pod's namespaces and files, log where kubelet asks in
 * the CRI format, answer exec and stats, stop with a grace period, survive a SIGKILL of the
 * daemon, refuse bad requests, and leave nothing behind.
 */
class CriContainerTest {

    private static LocalRegistry registry;
    private static ContainerImages images;

    private CriNode node;
    private String image;

    @BeforeAll
    static void pushImages() throws Exception {
        CriNode.assumeCapable("CriContainerTest");
        LocalRegistry.assumeInstalled();
        registry = LocalRegistry.anonymous();
        images = ContainerImages.push(registry);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void startNode() throws Exception {
        node = CriNode.start("cri-containers");
        image = images.busybox();
        node.ok("pull", image);
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.close();
            assertFalse(node.anythingMountedUnderState(), "no mount left under " + node.daemon.state);
            assertEquals("", Hawserd.run(List.of("pgrep", "-f", "conmon.*" + node.daemon.state)).out().strip(),
                    "no conmon left");
        }
    }

    private String pod(String name, String extra) throws Exception {
        return node.config(name + "-pod.json", """
                {"metadata":{"name":"%s","namespace":"test","uid":"uid-%s","attempt":0},
                 "hostname":"%s-host","log_directory":"%s","linux":{%s}}
                """.formatted(name, name, name, node.work.resolve("logs/" + name), extra));
    }

    private String container(String name, String command, String extra) throws Exception {
        return node.config(name + "-container.json", """
                {"metadata":{"name":"%s"},"image":{"image":"%s"},"command":["/bin/sh","-c",%s],
                 "log_path":"%s.log","labels":{"role":"%s"},"linux":{%s}}
                """.formatted(name, image, CriNode.JSON.writeValueAsString(command), name, name, extra));
    }

    private String create(String podId, String podConfig, String name, String command, String extra) throws Exception {
        return node.ok("create", podId, container(name, command, extra), podConfig);
    }

    /** Whether a process is gone or a zombie (this machine's pid 1 reaps late). */
    private static boolean ended(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return true;
        }
    }

    private JsonNode status(String id) throws Exception {
        return node.json("inspect", id).path("status");
    }

    @Test
    void containersShareTheirPodLogWhereAskedAndLeaveNothingBehind() throws Exception {
        String podConfig = pod("web", "");
        String pod = node.ok("runp", podConfig);
        String podIp = node.json("inspectp", pod).path("status").path("network").path("ip").asText();

        String first = create(pod, podConfig, "first", "echo out; echo err >&2; trap '' TERM; exec sleep 1000", "");
        assertEquals("CONTAINER_CREATED", status(first).path("state").asText());
        node.ok("start", first);
        assertEquals("CONTAINER_RUNNING", status(first).path("state").asText());
        String second = create(pod, podConfig, "second", "exec sleep 1000", "");
        node.ok("start", second);

        assertEquals("web-host", node.ok("exec", "-s", first, "hostname"), "the pod's host name");
        for (String id : List.of(first, second)) {
            assertTrue(node.ok("exec", "-s", id, "ip", "-4", "addr").contains(podIp), "pod IP " + podIp + " in " + id);
        }
        assertEquals(node.ok("exec", "-s", first, "readlink", "/proc/self/ns/ipc"),
                node.ok("exec", "-s", second, "readlink", "/proc/self/ns/ipc"), "one IPC namespace for the pod");
        // PID namespace mode POD (the protocol's default): one namespace whose init is the pod's pause process
        assertEquals(node.ok("exec", "-s", first, "readlink", "/proc/self/ns/pid"),
                node.ok("exec", "-s", second, "readlink", "/proc/self/ns/pid"), "one PID namespace for the pod");
        assertTrue(node.ok("exec", "-s", second, "cat", "/proc/1/cmdline").contains("catatonit"), "pid 1 is the pause process");
        String own = create(pod, podConfig, "own", "exec sleep 1000", "\"security_context\":{\"namespace_options\":{\"pid\":1}}");
        node.ok("start", own);
        assertNotEquals(node.ok("exec", "-s", first, "readlink", "/proc/self/ns/pid"),
                node.ok("exec", "-s", own, "readlink", "/proc/self/ns/pid"), "mode CONTAINER: a namespace of its own");
        assertEquals("sleep1000", node.ok("exec", "-s", own, "cat", "/proc/1/cmdline").replace("\0", ""));
        node.ok("rm", "-f", own);

        Hawserd.awaitTrue("output logged", () -> node.crictl("logs", first).out().contains("out"));
        Result logs = node.crictl("logs", first);
        assertEquals("out\n", logs.out());
        assertEquals("err\n", logs.err());
        Path logFile = node.work.resolve("logs/web/first.log");
        assertTrue(Files.readString(logFile).matches("(?s)\\S+ stdout F out\n.*\\S+ stderr F err\n.*"
                ) || Files.readString(logFile).matches("(?s)\\S+ stderr F err\n.*\\S+ stdout F out\n.*"),
                "CRI log format in " + logFile + ": " + Files.readString(logFile));

        JsonNode listed = node.json("ps", "--label", "role=second", "-o", "json").path("containers");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(second, listed.get(0).path("id").asText());
        assertEquals(pod, listed.get(0).path("podSandboxId").asText());

        JsonNode stats = node.json("stats", "-o", "json", "--id", first).path("stats");
        assertEquals(1, stats.size(), stats.toString());
        assertTrue(stats.get(0).path("memory").path("workingSetBytes").path("value").asLong() > 0, stats.toString());

        node.ok("update", "--memory", "67108864", first);
        assertEquals("67108864", node.ok("exec", "-s", first, "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max"));

        // sleep ignores SIGTERM (inherited from the shell's trap): the grace period ends in SIGKILL
        long start = System.nanoTime();
        node.ok("stop", "-t", "1", first);
        assertTrue(System.nanoTime() - start >= 1_000_000_000L, "waited for the grace period");
        JsonNode stopped = status(first);
        assertEquals("CONTAINER_EXITED", stopped.path("state").asText());
        assertEquals(137, stopped.path("exitCode").asInt());
        assertEquals(logFile.toString(), stopped.path("logPath").asText());

        node.ok("rm", first);
        assertEquals(second, node.ok("ps", "-aq"));
        // removing the pod takes its running container with it
        Path pauseFile = Path.of(node.json("inspectp", pod).path("info").path("directory").asText(), "pause.pid");
        long pause = Long.parseLong(Files.readString(pauseFile).strip());
        node.ok("stopp", pod);
        assertEquals("CONTAINER_EXITED", status(second).path("state").asText());
        assertFalse(Files.exists(pauseFile), "pause process forgotten");
        Hawserd.awaitTrue("the pause process ended with the pod", () -> ended(pause));
        node.ok("rmp", pod);
        assertEquals("", node.ok("ps", "-aq"));
    }

    @Test
    void execSyncGivesExitCodesAndTimesOut() throws Exception {
        String podConfig = pod("exec", "");
        String pod = node.ok("runp", podConfig);
        String id = create(pod, podConfig, "worker", "exec sleep 1000", "");
        node.ok("start", id);

        // crictl's client turns a non-zero exit code into an error naming it
        Result failing = node.crictl("exec", "-s", id, "sh", "-c", "echo partial; echo broken >&2; exit 3");
        assertNotEquals(0, failing.status());
        assertTrue(failing.err().contains("exited with 3: broken"), failing.err());
        // crictl prints the command's stdout, then its stderr
        String both = node.ok("exec", "-s", id, "sh", "-c", "echo partial; echo err >&2");
        assertTrue(both.startsWith("partial\n") && both.endsWith("\nerr"), both);

        Result slow = node.crictl("exec", "-s", "--timeout", "1", id, "sleep", "30");
        assertNotEquals(0, slow.status());
        assertTrue(slow.err().contains("DeadlineExceeded"), slow.err());
        Hawserd.awaitTrue("the timed-out command killed",
                () -> !node.ok("exec", "-s", id, "ps").contains("sleep 30"));
    }

    @Test
    void securityContextAndReadOnlyRootfsApply() throws Exception {
        String podConfig = pod("secure", "");
        String pod = node.ok("runp", podConfig);
        String id = create(pod, podConfig, "restricted", "exec sleep 1000", """
                "security_context":{"run_as_user":{"value":1000},"run_as_group":{"value":1000},
                 "supplemental_groups":[4242],"readonly_rootfs":true,"no_new_privs":true,
                 "capabilities":{"drop_capabilities":["ALL"]}}""");
        node.ok("start", id);
        assertEquals("uid=1000(app) gid=1000(app) groups=29(audio),44(video),4242",
                node.ok("exec", "-s", id, "id"));
        Result write = node.crictl("exec", "-s", id, "touch", "/written");
        assertNotEquals(0, write.status(), "read-only root filesystem");
        assertEquals("1", node.ok("exec", "-s", id, "sh", "-c", "grep NoNewPrivs /proc/self/status | cut -f2"));
        assertEquals("0000000000000000", node.ok("exec", "-s", id, "sh", "-c", "grep CapEff /proc/self/status | cut -f2"));
    }

    @Test
    void badRequestsAreRefusedAndLeaveNothing() throws Exception {
        String podConfig = pod("bad", "");
        String pod = node.ok("runp", podConfig);

        Result unknownImage = node.crictl("create", pod, node.config("unknown-image.json",
                "{\"metadata\":{\"name\":\"x\"},\"image\":{\"image\":\"" + registry.host() + "/test/none:1\"},\"linux\":{}}"), podConfig);
        assertNotEquals(0, unknownImage.status());
        assertTrue(unknownImage.err().contains("NotFound") && unknownImage.err().contains("test/none"), unknownImage.err());

        Result unknownPod = node.crictl("create", "0123456789abcdef", container("orphan", "true", ""), podConfig);
        assertNotEquals(0, unknownPod.status());
        assertTrue(unknownPod.err().contains("pod sandbox 0123456789abcdef"), unknownPod.err());

        Result privileged = node.crictl("create", pod, container("priv", "true", "\"security_context\":{\"privileged\":true}"), podConfig);
        assertNotEquals(0, privileged.status());
        assertTrue(privileged.err().contains("InvalidArgument") && privileged.err().contains("privileged"), privileged.err());
        assertEquals("", node.ok("ps", "-aq"), "no container recorded by a refused create");

        String missing = node.ok("create", pod, node.config("missing-command.json",
                "{\"metadata\":{\"name\":\"missing\"},\"image\":{\"image\":\"" + image + "\"},\"command\":[\"/no/such/program\"],\"linux\":{}}"),
                podConfig);
        Result start = node.crictl("start", missing);
        assertNotEquals(0, start.status());
        assertTrue(start.err().contains("/no/such/program"), start.err());
        JsonNode failed = status(missing);
        assertEquals("CONTAINER_EXITED", failed.path("state").asText());
        assertEquals("StartError", failed.path("reason").asText());
        assertEquals(128, failed.path("exitCode").asInt());
        assertEquals("", Hawserd.run(List.of("pgrep", "-f", "conmon.*" + missing)).out().strip(), "no supervisor left");

        Result exec = node.crictl("exec", "-s", missing, "true");
        assertNotEquals(0, exec.status());
        assertTrue(exec.err().contains("is not running"), exec.err());

        node.ok("rm", missing);
        assertEquals("", node.ok("ps", "-aq"));
    }

    @Test
    void containersSurviveADaemonCrash() throws Exception {
        String podConfig = pod("durable", "");
        String pod = node.ok("runp", podConfig);
        String running = create(pod, podConfig, "running", "echo before; exec sleep 1000", "");
        node.ok("start", running);
        String exiting = create(pod, podConfig, "exiting", "sleep 3; exit 7", "");
        node.ok("start", exiting);
        String pid = node.json("inspect", running).path("info").path("pid").asText();

        node.daemon.killAndRestart();
        Hawserd.awaitTrue("CRI socket after restart", () -> node.crictl("ps", "-aq").out().contains(running));
        Hawserd.awaitTrue("the exit while the daemon was down", () -> status(exiting).path("state").asText().equals("CONTAINER_EXITED"));

        assertEquals(7, status(exiting).path("exitCode").asInt());
        assertEquals("CONTAINER_RUNNING", status(running).path("state").asText());
        assertEquals(pid, node.json("inspect", running).path("info").path("pid").asText(), "the same process");
        assertEquals("durable-host", node.ok("exec", "-s", running, "hostname"));
        assertEquals("before\n", node.crictl("logs", running).out());
        node.ok("stop", "-t", "0", running);
        assertEquals(137, status(running).path("exitCode").asInt());
        node.ok("rm", running);
        node.ok("rm", exiting);
        node.ok("stopp", pod);
        node.ok("rmp", pod);
    }

    @Test
    void eventsFollowTheLifecycleAndPodStatsSumTheContainers() throws Exception {
        java.lang.Process events = node.crictl.start("events", "-o", "json");
        try {
            String podConfig = pod("watched", "");
            String pod = node.ok("runp", podConfig);
            String id = create(pod, podConfig, "watched", "exec sleep 1000", "");
            node.ok("start", id);

            JsonNode stats = node.json("statsp", "-o", "json", "--id", pod).path("stats").get(0).path("linux");
            assertEquals(1, stats.path("containers").size(), stats.toString());
            assertEquals(1, stats.path("process").path("processCount").path("value").asInt(), stats.toString());
            assertEquals("eth0", stats.path("network").path("defaultInterface").path("name").asText(), stats.toString());

            node.ok("stop", "-t", "0", id);
            node.ok("rm", id);
            List<String> expected = List.of("CONTAINER_CREATED_EVENT", "CONTAINER_STARTED_EVENT",
                    "CONTAINER_STOPPED_EVENT", "CONTAINER_DELETED_EVENT");
            List<String> seen = new java.util.ArrayList<>();
            var parser = CriNode.JSON.getFactory().createParser(events.getInputStream());
            var values = CriNode.JSON.readValues(parser, JsonNode.class);
            while (seen.size() < expected.size() && values.hasNext()) {
                JsonNode event = values.next();
                if (event.path("containerId").asText().equals(id)) {
                    seen.add(event.path("containerEventType").asText());
                }
            }
            assertEquals(expected, seen);
        } finally {
            events.destroy();
        }
    }

    @Test
    void execAttachAndPortForwardStreamThroughCrictl() throws Exception {
        String podConfig = pod("streams", "");
        String pod = node.ok("runp", podConfig);
        String server = create(pod, podConfig, "server", "while true; do echo hello from the pod | nc -l -p 8080; done", "");
        node.ok("start", server);

        Result interactive = Hawserd.run(List.of("sh", "-c", "printf 'world\\n' | " + crictlCommand()
                + " exec -i " + server + " sh -c 'read x; echo got $x; echo warn >&2'"));
        assertEquals(0, interactive.status(), interactive.err());
        assertEquals("got world\n", interactive.out());
        assertTrue(interactive.err().contains("warn"), interactive.err());
        Result failing = node.crictl("exec", server, "sh", "-c", "exit 3");
        assertNotEquals(0, failing.status());
        assertTrue(failing.err().contains("exit code 3"), failing.err());

        // a shell on stdin, closed when its one client's input ends (stdin_once)
        String shell = node.ok("create", pod, node.config("shell.json", """
                {"metadata":{"name":"shell"},"image":{"image":"%s"},"command":["/bin/sh"],
                 "stdin":true,"stdin_once":true,"log_path":"shell.log","linux":{}}
                """.formatted(image)), podConfig);
        node.ok("start", shell);
        Result attached = Hawserd.run(List.of("sh", "-c", "printf 'echo attached\\n' | " + crictlCommand()
                + " attach -i " + shell));
        assertEquals(0, attached.status(), attached.err());
        assertEquals("attached\n", attached.out());
        Hawserd.awaitTrue("the shell ended with its input", () -> status(shell).path("state").asText().equals("CONTAINER_EXITED"));

        int localPort = java.util.concurrent.ThreadLocalRandom.current().nextInt(33000, 34000);
        java.lang.Process forward = node.crictl.start("port-forward", pod, localPort + ":8080");
        try {
            Hawserd.awaitTrue("port-forward answering", () -> {
                try (java.net.Socket probe = new java.net.Socket("127.0.0.1", localPort)) {
                    return new String(probe.getInputStream().readAllBytes()).equals("hello from the pod\n");
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
        } finally {
            forward.destroy();
        }
    }

    private String crictlCommand() {
        return String.join(" ", node.crictl.command());
    }
}
