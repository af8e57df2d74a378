package io.hawser.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.itest.Hawserd.Result;

/**
 * A Kubernetes node as the CRI tests see it: {@code bin/hawserd} driven by the real
 * {@code crictl}, on a pod network of the test's own — Debian's CNI {@code bridge} on a bridge and
 * a /24 of this node, {@code host-local} keeping its reservations in the node's directory,
 * {@code portmap}. Closing it removes every container and pod left, stops the daemon and deletes
 * the bridge, so a failed test leaves no namespace, veth or port rule on the host.
 */
final class CriNode implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

    final Hawserd daemon;
    final Crictl crictl;
    final Path work;
    final Path ipam;
    final String bridge;
    final String subnetPrefix;

    /** Skips the calling test class, saying why, when this machine cannot run pods. */
    static void assumeCapable(String test) throws Exception {
        Crictl.assumeInstalled();
        for (String plugin : List.of("bridge", "host-local", "portmap", "loopback")) {
            skipUnless(test, Files.isExecutable(CNI_PLUGINS.resolve(plugin)), "no CNI plugin " + CNI_PLUGINS.resolve(plugin)
                    + " (Debian containernetworking-plugins)");
        }
        skipUnless(test, Hawserd.run(List.of("unshare", "--net", "true")).status() == 0, "cannot create network namespaces here");
        skipUnless(test, Hawserd.run(List.of("iptables", "-t", "nat", "-S")).status() == 0, "no usable iptables for portmap");
    }

    private static void skipUnless(String test, boolean capability, String reason) {
        if (!capability) {
            System.out.println(test + " skipped: " + reason);
        }
        assumeTrue(capability, reason);
    }

    /**
     * Starts a daemon whose CRI plugin uses the node's network.
     *
     * @param name a prefix for the node's directory
     */
    static CriNode start(String name) throws Exception {
        Path work = Files.createTempDirectory(Path.of("/tmp"), name + "-");
        int net = ThreadLocalRandom.current().nextInt(1, 250);
        String subnetPrefix = "10.231." + net + ".";
        String bridge = "hwt" + net;
        Path ipam = work.resolve("ipam");
        Path netd = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(netd.resolve("10-test.conflist"), """
                {"cniVersion":"1.0.0","name":"hawser-test","plugins":[
                 {"type":"bridge","bridge":"%s","isGateway":true,
                  "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"%s0/24"}]]}},
                 {"type":"portmap","capabilities":{"portMappings":true}}]}
                """.formatted(bridge, ipam, subnetPrefix));
        Path config = Files.createDirectories(work.resolve("etc"));
        Files.writeString(config.resolve("io.hawser.cri.cfg"), "cni.conf.dir=" + netd + "\ncni.bin.dir=" + CNI_PLUGINS + "\n");
        Hawserd daemon = Hawserd.serving(Hawserd.DISTRIBUTION, "--config", config.toString());
        Path socket = daemon.state.resolve("cri.sock");
        Hawserd.awaitTrue("CRI socket " + socket, () -> Files.exists(socket));
        CriNode node = new CriNode(daemon, new Crictl(socket), work, ipam, bridge, subnetPrefix);
        // the configuration is read by FileInstall after the daemon started
        Hawserd.awaitTrue("NetworkReady", () -> node.networkReady());
        return node;
    }

    private CriNode(Hawserd daemon, Crictl crictl, Path work, Path ipam, String bridge, String subnetPrefix) {
        this.daemon = daemon;
        this.crictl = crictl;
        this.work = work;
        this.ipam = ipam;
        this.bridge = bridge;
        this.subnetPrefix = subnetPrefix;
    }

    private boolean networkReady() throws Exception {
        for (JsonNode condition : JSON.readTree(crictl("info").out()).path("status").path("conditions")) {
            if (condition.path("type").asText().equals("NetworkReady")) {
                return condition.path("status").asBoolean();
            }
        }
        return false;
    }

    Result crictl(String... args) throws Exception {
        return crictl.run(args);
    }

    /** Runs crictl, which must succeed, and returns its standard output without the final newline. */
    String ok(String... args) throws Exception {
        Result result = crictl(args);
        assertEquals(0, result.status(), "crictl " + String.join(" ", args) + ": " + result.err() + daemonLog());
        return result.out().strip();
    }

    /** The JSON crictl prints for {@code inspect}, {@code inspectp} or another command with {@code -o json}. */
    JsonNode json(String... args) throws Exception {
        return JSON.readTree(ok(args));
    }

    /** Writes a pod or container configuration into the node's directory and returns its path. */
    String config(String name, String json) throws Exception {
        return Files.writeString(work.resolve(name), json).toString();
    }

    String daemonLog() throws Exception {
        return "\ndaemon log:\n" + daemon.logText();
    }

    static boolean mounted(Path file) throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + file + " ");
    }

    boolean anythingMountedUnderState() throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo")).contains(daemon.state.toString());
    }

    /**
     * The veths on this node's bridge, the host ends of its pods' interfaces; none before the
     * bridge plugin has made the bridge. Not every veth on the host: other work on the machine
     * makes and removes its own meanwhile.
     */
    List<String> veths() throws Exception {
        if (!Files.exists(Path.of("/sys/class/net", bridge))) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String line : Hawserd.run(List.of("ip", "-o", "link", "show", "type", "veth", "master", bridge)).out().lines().toList()) {
            names.add(line.split(":")[1].strip());
        }
        return names;
    }

    static String natRules() throws Exception {
        return Hawserd.run(List.of("iptables", "-t", "nat", "-S")).out();
    }

    @Override
    public void close() throws Exception {
        if (daemon.process.isAlive()) {
            for (String id : crictl("ps", "-aq").out().lines().filter(l -> !l.isBlank()).toList()) {
                crictl("rm", "-f", id);
            }
            for (String id : crictl("pods", "-q").out().lines().filter(l -> !l.isBlank()).toList()) {
                crictl("stopp", id);
                crictl("rmp", id);
            }
        }
        daemon.close();
        Hawserd.run(List.of("ip", "link", "delete", bridge));
        Leftovers.removeDirectory(work);
    }
}
