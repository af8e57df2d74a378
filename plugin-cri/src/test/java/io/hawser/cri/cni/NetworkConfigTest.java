package io.hawser.cri.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigTest {

    @TempDir
    Path directory;

    private static final String BRIDGE_LIST = """
            {"cniVersion":"1.0.0","name":"pods","plugins":[
              {"type":"bridge","bridge":"hawser0","ipam":{"type":"host-local","ranges":[[{"subnet":"10.88.0.0/16"}]]}},
              {"type":"portmap","capabilities":{"portMappings":true}}]}""";

    @Test
    void aConflistIsItsPluginsInOrder() throws Exception {
        Files.writeString(directory.resolve("10-pods.conflist"), BRIDGE_LIST);
        NetworkConfig network = NetworkConfig.read(directory.resolve("10-pods.conflist"));
        assertEquals("pods", network.name());
        assertEquals("1.0.0", network.cniVersion());
        assertEquals(List.of("bridge", "portmap"), network.plugins().stream().map(p -> p.path("type").asText()).toList());
        assertEquals(network.plugins(), NetworkConfig.fromConflist(network.toConflist(), Path.of("x")).plugins());
    }

    @Test
    void aSingleConfIsAListOfOne() throws Exception {
        Files.writeString(directory.resolve("10-one.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":\"one\",\"type\":\"bridge\"}");
        NetworkConfig network = NetworkConfig.read(directory.resolve("10-one.conf"));
        assertEquals(1, network.plugins().size());
        assertEquals("bridge", network.plugins().getFirst().path("type").asText());
    }

    @Test
    void theFirstUsableFileInLexicalOrderWins() throws Exception {
        assertTrue(NetworkConfig.firstIn(directory.resolve("missing")).isEmpty());
        assertTrue(NetworkConfig.firstIn(directory).isEmpty());
        Files.writeString(directory.resolve("05-broken.conflist"), "{\"name\":");
        Files.writeString(directory.resolve("07-notes.txt"), "not a configuration");
        Files.writeString(directory.resolve("20-later.conf"), "{\"name\":\"later\",\"type\":\"bridge\"}");
        Files.writeString(directory.resolve("10-pods.conflist"), BRIDGE_LIST);
        assertEquals("pods", NetworkConfig.firstIn(directory).orElseThrow().name());
    }

    @Test
    void malformedConfigurationsNameWhatIsWrong() {
        Path source = Path.of("x.conflist");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("{\"plugins\":[]}", true, source))
                .getMessage().contains("\"name\" is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("{\"name\":\"n\",\"plugins\":[]}", true, source))
                .getMessage().contains("non-empty \"plugins\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("{\"name\":\"n\",\"plugins\":[{}]}", true, source))
                .getMessage().contains("\"type\" is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NetworkConfig.parse("[1]", false, source))
                .getMessage().contains("not a JSON object"));
    }

    @Test
    void aPluginSeesOnlyTheRuntimeConfigItsCapabilitiesAsk() {
        NetworkConfig network = NetworkConfig.parse(BRIDGE_LIST, true, Path.of("x"));
        ObjectNode runtime = NetworkConfig.JSON.createObjectNode();
        runtime.putArray("portMappings").addObject().put("hostPort", 8080);
        runtime.put("bandwidth", "ignored");
        ObjectNode prev = NetworkConfig.JSON.createObjectNode().put("cniVersion", "1.0.0");

        ObjectNode bridge = network.stdinFor(network.plugins().get(0), null, runtime);
        assertEquals("pods", bridge.path("name").asText());
        assertEquals("1.0.0", bridge.path("cniVersion").asText());
        assertFalse(bridge.has("runtimeConfig"));
        assertFalse(bridge.has("prevResult"));

        ObjectNode portmap = network.stdinFor(network.plugins().get(1), prev, runtime);
        assertEquals(8080, portmap.path("runtimeConfig").path("portMappings").get(0).path("hostPort").asInt());
        assertFalse(portmap.path("runtimeConfig").has("bandwidth"));
        assertEquals(prev, portmap.path("prevResult"));
    }
}
