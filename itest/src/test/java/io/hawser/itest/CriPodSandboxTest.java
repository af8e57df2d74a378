package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.itest.Hawserd.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod sandboxes of {@code bin/hawserd} driven by the real {@code crictl}, on a pod network of the
 * test's own: Debian's CNI {@code bridge} on a bridge and a /24 of this test, {@code host-local}
 * keeping its reservations in the test's directory, {@code portmap}. The pod's address must answer
 * ping and TCP from the host, the pod must survive a SIGKILL of the daemon, and stop and remove
 * must leave no mount, namespace file, veth, address reservation or port rule behind.
 */
class CriPodSandboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

    private Hawserd daemon;
    private Crictl crictl;
    private Path work;
    private Path ipam;
    private String bridge;
    private String subnetPrefix;

    @BeforeAll
    static void capabilities() throws Exception {
        Crictl.assumeInstalled();
        for (String plugin : List.of("bridge", "host-local", "portmap", "loopback")) {
            skipUnless(Files.isExecutable(CNI_PLUGINS.resolve(plugin)), "no CNI plugin " + CNI_PLUGINS.resolve(plugin)
                    + " (Debian containernetworking-plugins)");
        }
        skipUnless(Hawserd.run(List.of("unshare", "--net", "true")).status() == 0, "cannot create network namespaces here");
        skipUnless(Hawserd.run(List.of("iptables", "-t", "nat", "-S")).status() == 0, "no usable iptables for portmap");
    }

    private static void skipUnless(boolean capability, String reason) {
        if (!capability) {
            System.out.println("CriPodSandboxTest skipped: " + reason);
        }
        assumeTrue(capability, reason);
    }

    @BeforeEach
    void startDaemonOnATestNetwork() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "cri-pods-");
        int net = ThreadLocalRandom.current().nextInt(1, 250);
        subnetPrefix = "10.231." + net + ".";
        bridge = "hwt" + net;
        ipam = work.resolve("ipam");
        Path netd = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(netd.resolve("10-test.conflist"), """
                {"cniVersion":"1.0.0","name":"hawser-test","plugins":[
                 {"type":"bridge","bridge":"%s","isGateway":true,
                  "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"%s0/24"}]]}},
                 {"type":"portmap","capabilities":{"portMappings":true}}]}
                """.formatted(bridge, ipam, subnetPrefix));
        Path config = Files.createDirectories(work.resolve("etc"));
        Files.writeString(config.resolve("io.hawser.cri.cfg"), "cni.conf.dir=" + netd + "\ncni.bin.dir=" + CNI_PLUGINS + "\n");
        daemon = Hawserd.serving(Hawserd.DISTRIBUTION, "--config", config.toString());
        Path socket = daemon.state.resolve("cri.sock");
        Hawserd.awaitTrue("CRI socket " + socket, () -> Files.exists(socket));
        crictl = new Crictl(socket);
        // the configuration is read by FileInstall after the daemon started
        Hawserd.awaitTrue("NetworkReady", () -> networkReady(crictl("info")));
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            // a failed test must not leave pinned namespaces, veths or port rules on the host
            if (daemon.process.isAlive()) {
                for (String id : crictl("pods", "-q").out().lines().filter(l -> !l.isBlank()).toList()) {
                    crictl("stopp", id);
                    crictl("rmp", id);
                }
            }
            daemon.close();
        }
        Hawserd.run(List.of("ip", "link", "delete", bridge));
    }

    private static boolean networkReady(Result info) throws Exception {
        for (JsonNode condition : JSON.readTree(info.out()).path("status").path("conditions")) {
            if (condition.path("type").asText().equals("NetworkReady")) {
                return condition.path("status").asBoolean();
            }
        }
        return false;
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
        List<String> vethsBefore = veths();

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
            assertTrue(mounted(directory.resolve(kind)), kind + " pinned by a bind mount");
        }
        assertEquals("webhost", Hawserd.run(List.of("nsenter", "--uts=" + directory.resolve("utsns"), "hostname")).out().strip());
        assertEquals("search test.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
                Files.readString(directory.resolve("resolv.conf")));
        assertEquals("webhost\n", Files.readString(directory.resolve("hostname")));
        assertEquals("80", Hawserd.run(List.of("nsenter", "--net=" + directory.resolve("netns"),
                "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start")).out().strip(), "the pod's sysctl");
        assertEquals(vethsBefore.size() + 1, veths().size(), "one veth for the pod");
        assertTrue(Files.exists(ipam.resolve("hawser-test").resolve(ip)), "host-local reserved " + ip);
        assertTrue(natRules().contains("--dport " + hostPort), "portmap's rule for host port " + hostPort);

        Result ping = Hawserd.run(List.of("busybox", "ping", "-c", "1", "-W", "5", ip));
        assertEquals(0, ping.status(), "ping " + ip + ": " + ping.out() + ping.err());
        assertTcpAnswers(directory.resolve("netns"), ip);

        Result listed = crictl("pods", "--label", "app=web", "-o", "json");
        assertEquals(0, listed.status(), listed.err());
        assertEquals(id, JSON.readTree(listed.out()).path("items").get(0).path("id").asText(), listed.out());
        assertEquals(0, JSON.readTree(crictl("pods", "--label", "app=other", "-o", "json").out()).path("items").size());

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
            assertFalse(mounted(directory.resolve(kind)), kind + " unpinned by stop");
            assertFalse(Files.exists(directory.resolve(kind)), kind + " file deleted by stop");
        }
        assertEquals(vethsBefore, veths(), "the pod's veth is gone");
        assertFalse(Files.exists(ipam.resolve("hawser-test").resolve(ip)), "host-local released " + ip);
        assertFalse(natRules().contains("--dport " + hostPort), "portmap's rule removed");

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
        List<String> vethsBefore = veths();
        Result run = crictl("runp", pod.toString());
        assertEquals(0, run.status(), run.err() + daemonLog());
        String id = run.out().strip();
        JsonNode inspect = inspect(id);
        assertEquals("", inspect.path("status").path("network").path("ip").asText(), inspect.toString());
        assertEquals("NODE", inspect.path("status").path("linux").path("namespaces").path("options").path("network").asText());
        assertEquals("", inspect.path("info").path("netns").asText());
        assertEquals("", inspect.path("info").path("utsns").asText(), "a host-network pod has the host's name");
        Path directory = Path.of(inspect.path("info").path("directory").asText());
        assertTrue(mounted(directory.resolve("ipcns")), "its own IPC namespace all the same");
        assertEquals(Files.readString(Path.of("/etc/resolv.conf")), Files.readString(directory.resolve("resolv.conf")));
        assertEquals(vethsBefore, veths());
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
        List<String> vethsBefore = veths();
        Path other = work.resolve("other.json");
        Files.writeString(other, "{\"metadata\":{\"name\":\"two\",\"namespace\":\"test\",\"uid\":\"u2\",\"attempt\":0},\"linux\":{}}");
        Result failed = crictl("runp", other.toString());
        assertFalse(failed.status() == 0, failed.out());
        assertTrue(failed.err().contains("no-such-plugin"), failed.err());
        assertEquals(List.of(first.out().strip()), List.of(crictl("pods", "-q").out().strip().split("\n")));
        try (Stream<Path> pods = Files.list(daemon.state.resolve("pods"))) {
            assertEquals(List.of(first.out().strip()), pods.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(vethsBefore, veths(), "the bridge plugin's veth deleted again");
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
        Result inspect = crictl("inspectp", id);
        assertEquals(0, inspect.status(), inspect.err() + daemonLog());
        return JSON.readTree(inspect.out());
    }

    private static boolean mounted(Path file) throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + file + " ");
    }

    private static List<String> veths() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : Hawserd.run(List.of("ip", "-o", "link", "show", "type", "veth")).out().lines().toList()) {
            names.add(line.split(":")[1].strip());
        }
        return names;
    }

    private static String natRules() throws Exception {
        return Hawserd.run(List.of("iptables", "-t", "nat", "-S")).out();
    }

    private Result crictl(String... args) throws Exception {
        return crictl.run(args);
    }

    private String daemonLog() throws Exception {
        return "\ndaemon log:\n" + daemon.logText();
    }
}
