package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod sandboxes of {@code bin/hawserd} driven by the real {@code crictl} on a {@link CriNode}. The pod's address must answer
 * ping and TCP from the host, the pod must survive a SIGKILL of the daemon, and stop and remove
 * must leave no mount, namespace file, veth, address reservation or port rule behind.
 */
class CriPodSandboxTest {

    private CriNode node;
    private Hawserd daemon;
    private Path work;
    private Path ipam;
    private String bridge;
    private String subnetPrefix;

    @BeforeAll
    static void capabilities() throws Exception {
        CriNode.assumeCapable("CriPodSandboxTest");
    }

    @BeforeEach
    void startNode() throws Exception {
        node = CriNode.start("cri-pods");
        daemon = node.daemon;
        work = node.work;
        ipam = node.ipam;
        bridge = node.bridge;
        subnetPrefix = node.subnetPrefix;
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aPodGetsAnAddressThatAnswersAndLeavesNothingBehind() throws Exception {
        int hostPort = ThreadLocalRandom.current().nextInt(31000, 32000);
        Path pod = work.resolve("pod.json");
        Files.writeString(pod, """
                {"metadata":{"name":"web","namespace":"test","uid":"uid-web","attempt":0},
                 "hostname":"webhost","labels":{"app":"web"},
                 "dns_config":{"servers":["10.96.0.10"],"searches":["test.svc.cluster.local"],"options":["ndots:5"]},
                 "port_mappings":[{"protocol":0,"container_port":8080,"host_port":%d}],
                 "linux":{"sysctls":{"net.ipv4.ip_unprivileged_port_start":"80"}}}
                """.formatted(hostPort));
        List<String> vethsBefore = node.veths();

        Result run = crictl("runp", pod.toString());
        assertEquals(0, run.status(), run.err() + daemonLog());
        String id = run.out().strip();

        JsonNode inspect = inspect(id);
        String ip = inspect.path("status").path("network").path("ip").asText();
        assertTrue(ip.startsWith(subnetPrefix), "pod IP " + ip + " in the test's subnet: " + inspect);
        assertEquals("SANDBOX_READY", inspect.path("status").path("state").asText());
        JsonNode info = inspect.path("info");
        Path directory = Path.of(info.path("directory").asText());
        for (String kind : List.of("netns", "ipcns", "utsns")) {
            assertEquals(directory.resolve(kind).toString(), info.path(kind).asText(), inspect.toString());
            assertTrue(CriNode.mounted(directory.resolve(kind)), kind + " pinned by a bind mount");
        }
        assertEquals("webhost", Hawserd.run(List.of("nsenter", "--uts=" + directory.resolve("utsns"), "hostname")).out().strip());
        assertEquals("search test.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
                Files.readString(directory.resolve("resolv.conf")));
        assertEquals("webhost\n", Files.readString(directory.resolve("hostname")));
        assertEquals("80", Hawserd.run(List.of("nsenter", "--net=" + directory.resolve("netns"),
                "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start")).out().strip(), "the pod's sysctl");
        assertEquals(vethsBefore.size() + 1, node.veths().size(), "one veth for the pod");
        assertTrue(Files.exists(ipam.resolve("hawser-test").resolve(ip)), "host-local reserved " + ip);
        assertTrue(CriNode.natRules().contains("--dport " + hostPort), "portmap's rule for host port " + hostPort);

        Result ping = Hawserd.run(List.of("busybox", "ping", "-c", "1", "-W", "5", ip));
        assertEquals(0, ping.status(), "ping " + ip + ": " + ping.out() + ping.err());
        assertTcpAnswers(directory.resolve("netns"), ip);

        Result listed = crictl("pods", "--label", "app=web", "-o", "json");
        assertEquals(0, listed.status(), listed.err());
        assertEquals(id, CriNode.JSON.readTree(listed.out()).path("items").get(0).path("id").asText(), listed.out());
        assertEquals(0, CriNode.JSON.readTree(crictl("pods", "--label", "app=other", "-o", "json").out()).path("items").size());

        // a crash of the daemon loses nothing: the pod, its namespaces and its address stay
        daemon.killAndRestart();
        Hawserd.awaitTrue("CRI socket after restart", () -> crictl("pods", "-q").out().contains(id));
        JsonNode again = inspect(id);
        assertEquals(ip, again.path("status").path("network").path("ip").asText(), again.toString());
        assertEquals("SANDBOX_READY", again.path("status").path("state").asText());
        assertEquals(0, Hawserd.run(List.of("busybox", "ping", "-c", "1", "-W", "5", ip)).status(), "still answering after the restart");

        Result stop = crictl("stopp", id);
        assertEquals(0, stop.status(), stop.err() + daemonLog());
        assertEquals("SANDBOX_NOTREADY", inspect(id).path("status").path("state").asText());
        assertEquals(0, crictl("stopp", id).status(), "stop repeats");
        for (String kind : List.of("netns", "ipcns", "utsns")) {
            assertFalse(CriNode.mounted(directory.resolve(kind)), kind + " unpinned by stop");
            assertFalse(Files.exists(directory.resolve(kind)), kind + " file deleted by stop");
        }
        assertEquals(vethsBefore, node.veths(), "the pod's veth is gone");
        assertFalse(Files.exists(ipam.resolve("hawser-test").resolve(ip)), "host-local released " + ip);
        assertFalse(CriNode.natRules().contains("--dport " + hostPort), "portmap's rule removed");

        Result remove = crictl("rmp", id);
        assertEquals(0, remove.status(), remove.err() + daemonLog());
        assertFalse(Files.exists(directory), "pod directory removed");
        assertEquals("", crictl("pods", "-q").out().strip());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(daemon.state.toString()), "no mount under the state directory");
    }

    @Test
    void aHostNetworkPodHasNoNetworkNamespace() throws Exception {
        Path pod = work.resolve("host-pod.json");
        Files.writeString(pod, """
                {"metadata":{"name":"host","namespace":"test","uid":"uid-host","attempt":0},
                 "linux":{"security_context":{"namespace_options":{"network":2}}}}
                """);
        List<String> vethsBefore = node.veths();
        Result run = crictl("runp", pod.toString());
        assertEquals(0, run.status(), run.err() + daemonLog());
        String id = run.out().strip();
        JsonNode inspect = inspect(id);
        assertEquals("", inspect.path("status").path("network").path("ip").asText(), inspect.toString());
        assertEquals("NODE", inspect.path("status").path("linux").path("namespaces").path("options").path("network").asText());
        assertEquals("", inspect.path("info").path("netns").asText());
        assertEquals("", inspect.path("info").path("utsns").asText(), "a host-network pod has the host's name");
        Path directory = Path.of(inspect.path("info").path("directory").asText());
        assertTrue(CriNode.mounted(directory.resolve("ipcns")), "its own IPC namespace all the same");
        assertEquals(Files.readString(Path.of("/etc/resolv.conf")), Files.readString(directory.resolve("resolv.conf")));
        assertEquals(vethsBefore, node.veths());
        try (Stream<Path> reservations = Files.exists(ipam) ? Files.walk(ipam) : Stream.empty()) {
            assertFalse(reservations.anyMatch(f -> f.getFileName().toString().startsWith(subnetPrefix)), "no address taken");
        }

        assertEquals(0, crictl("stopp", id).status());
        assertEquals(0, crictl("rmp", id).status());
        assertFalse(Files.exists(directory));
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(daemon.state.toString()));
    }

    @Test
    void aSecondPodOfTheSameNameIsRefusedAndAFailedRunLeavesNothing() throws Exception {
        Path pod = work.resolve("pod.json");
        Files.writeString(pod, "{\"metadata\":{\"name\":\"one\",\"namespace\":\"test\",\"uid\":\"u\",\"attempt\":0},\"linux\":{}}");
        Result first = crictl("runp", pod.toString());
        assertEquals(0, first.status(), first.err() + daemonLog());
        Result second = crictl("runp", pod.toString());
        assertFalse(second.status() == 0, second.out());
        assertTrue(second.err().contains("AlreadyExists"), second.err());

        // a network whose plugin is missing: the run fails, and what it had set up is undone
        Files.writeString(work.resolve("net.d/00-broken.conflist"), """
                {"cniVersion":"1.0.0","name":"broken","plugins":[
                 {"type":"bridge","bridge":"%s","ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"%s0/24"}]]}},
                 {"type":"no-such-plugin"}]}
                """.formatted(bridge, ipam, subnetPrefix));
        List<String> vethsBefore = node.veths();
        Path other = work.resolve("other.json");
        Files.writeString(other, "{\"metadata\":{\"name\":\"two\",\"namespace\":\"test\",\"uid\":\"u2\",\"attempt\":0},\"linux\":{}}");
        Result failed = crictl("runp", other.toString());
        assertFalse(failed.status() == 0, failed.out());
        assertTrue(failed.err().contains("no-such-plugin"), failed.err());
        assertEquals(List.of(first.out().strip()), List.of(crictl("pods", "-q").out().strip().split("\n")));
        try (Stream<Path> pods = Files.list(daemon.state.resolve("pods"))) {
            assertEquals(List.of(first.out().strip()), pods.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(vethsBefore, node.veths(), "the bridge plugin's veth deleted again");
        try (Stream<Path> reservations = Files.list(ipam.resolve("broken"))) {
            assertFalse(reservations.anyMatch(f -> f.getFileName().toString().startsWith(subnetPrefix)), "the address released again");
        }

        assertEquals(0, crictl("stopp", first.out().strip()).status());
        assertEquals(0, crictl("rmp", first.out().strip()).status());
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(daemon.state.toString()));
    }

    /** A TCP listener inside the pod's network namespace answers a connection from the host. */
    private static void assertTcpAnswers(Path netns, String ip) throws Exception {
        Process listener = new ProcessBuilder("nsenter", "--net=" + netns, "busybox", "nc", "-l", "-p", "8080")
                .redirectErrorStream(true).start();
        try {
            // busybox may listen on IPv6 (both families), so both tables are read; 0A is LISTEN
            Hawserd.awaitTrue("listener in the pod", () -> Hawserd.run(List.of("nsenter", "--net=" + netns, "cat", "/proc/net/tcp", "/proc/net/tcp6"))
                    .out().lines().anyMatch(line -> line.contains(":1F90 ") && line.contains(" 0A ")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ip, 8080), 5000);
                OutputStream out = socket.getOutputStream();
                out.write("hello pod\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "nc ends after the connection closed");
            try (InputStream received = listener.getInputStream()) {
                assertEquals("hello pod\n", new String(received.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            listener.destroyForcibly();
        }
    }

    private JsonNode inspect(String id) throws Exception {
        return node.json("inspectp", id);
    }

    private Result crictl(String... args) throws Exception {
        return node.crictl(args);
    }

    private String daemonLog() throws Exception {
        return node.daemonLog();
    }
}
