package io.hawser.cri.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CNI calling convention against fake plugins: shell scripts that log their environment and
 * stdin, then answer a result, an error object or nothing.
 */
class CniTest {

    @TempDir
    Path directory;

    private Path plugins;
    private Path log;
    private Cni cni;
    private final Cni.Attachment pod = new Cni.Attachment("pod1", Path.of("/run/netns/pod1"), "eth0", Map.of("K8S_POD_NAME", "web"));

    @BeforeEach
    void fakePlugins() throws Exception {
        plugins = Files.createDirectories(directory.resolve("bin"));
        log = directory.resolve("calls.log");
        // each call appends "type command containerid netns ifname args path" and its stdin on one line
        String record = "input=$(cat); echo \"$(basename $0) $CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS $CNI_PATH $input\" >> " + log + "\n";
        plugin("first", record + "echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.0.5/16\"},{\"address\":\"fd00::5/64\"}]}'\n");
        plugin("second", record + "echo \"$input\" | grep -q prevResult || exit 9\necho '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.0.5/16\"}]}'\n");
        plugin("refusing", record + "[ \"$CNI_COMMAND\" = DEL ] && exit 0\necho '{\"code\":7,\"msg\":\"no addresses left\",\"details\":\"range full\"}'; exit 1\n");
        plugin("crashing", record + "echo 'segfault' >&2; exit 2\n");
        cni = new Cni(List.of(directory.resolve("empty"), plugins));
    }

    private void plugin(String name, String body) throws Exception {
        Path file = plugins.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private NetworkConfig network(String... types) {
        StringBuilder list = new StringBuilder("{\"cniVersion\":\"1.0.0\",\"name\":\"test\",\"plugins\":[");
        for (int i = 0; i < types.length; i++) {
            list.append(i == 0 ? "" : ",").append("{\"type\":\"").append(types[i]).append("\"}");
        }
        return NetworkConfig.parse(list.append("]}").toString(), true, Path.of("test.conflist"));
    }

    private List<String> calls() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void addRunsTheChainInOrderHandingOnEachResult() throws Exception {
        JsonNode result = cni.add(network("first", "second"), pod, NetworkConfig.JSON.createObjectNode());
        assertEquals(List.of("10.88.0.5"), Cni.addresses(result));
        List<String> calls = calls();
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("first ADD pod1 /run/netns/pod1 eth0 IgnoreUnknown=1;K8S_POD_NAME=web "
                + directory.resolve("empty") + ":" + plugins + " "), calls.get(0));
        assertFalse(calls.get(0).contains("prevResult"), calls.get(0));
        assertTrue(calls.get(1).startsWith("second ADD"), calls.get(1));
        assertTrue(calls.get(1).contains("\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.0.5/16\"},{\"address\":\"fd00::5/64\"}]}"), calls.get(1));
        assertTrue(calls.get(1).contains("\"name\":\"test\""), calls.get(1));
    }

    @Test
    void delRunsTheChainInReverseAndTriesEveryPlugin() throws Exception {
        JsonNode added = NetworkConfig.JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[]}");
        CniException failure = assertThrows(CniException.class,
                () -> cni.delete(network("first", "crashing", "second"), pod, NetworkConfig.JSON.createObjectNode(), added));
        assertTrue(failure.getMessage().contains("crashing DEL failed: exit status 2: segfault"), failure.getMessage());
        List<String> order = calls().stream().map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1))).toList();
        assertEquals(List.of("second DEL", "crashing DEL", "first DEL"), order);
        assertTrue(calls().getFirst().contains("\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[]}"), calls().getFirst());
    }

    @Test
    void aFailedAddIsUndoneAndReportsThePluginsError() throws Exception {
        CniException failure = assertThrows(CniException.class,
                () -> cni.add(network("first", "refusing"), pod, NetworkConfig.JSON.createObjectNode()));
        assertEquals(7, failure.code());
        assertTrue(failure.getMessage().contains("CNI plugin refusing ADD failed (code 7): no addresses left: range full"), failure.getMessage());
        List<String> order = calls().stream().map(line -> line.substring(0, line.indexOf(' ', line.indexOf(' ') + 1))).toList();
        assertEquals(List.of("first ADD", "refusing ADD", "refusing DEL", "first DEL"), order);
    }

    @Test
    void aMissingPluginIsNamedWithTheDirectoriesSearched() {
        CniException failure = assertThrows(CniException.class,
                () -> cni.add(network("nowhere"), pod, NetworkConfig.JSON.createObjectNode()));
        assertTrue(failure.getMessage().contains("no executable \"nowhere\" in ["), failure.getMessage());
        assertTrue(cni.executable("../bin/first").isEmpty(), "a type is a name, not a path");
        assertTrue(cni.executable("first").isPresent());
    }

    @Test
    void addressesPutIPv4First() throws Exception {
        JsonNode result = NetworkConfig.JSON.readTree("{\"ips\":[{\"address\":\"fd00::5/64\"},{\"address\":\"10.88.0.5/16\"}]}");
        assertEquals(List.of("10.88.0.5", "fd00::5"), Cni.addresses(result));
        assertEquals(List.of(), Cni.addresses(null));
    }
}
