package io.hawser.kernel.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.registry.RegistryHost.Capability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostsConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutFilesARegistryIsItsOwnHttpsServer() throws HawserException {
        RegistryHost host = HostsConfig.defaults().hostsFor("registry.example:5000").getFirst();
        assertEquals(URI.create("https://registry.example:5000/v2"), host.root());
        assertEquals(EnumSet.allOf(Capability.class), host.capabilities());
        assertFalse(host.mirror());
        assertFalse(host.plainHttp());
    }

    @Test
    void dockerHubIsServedByRegistryOne() throws HawserException {
        assertEquals(URI.create("https://registry-1.docker.io/v2"), HostsConfig.defaults().hostsFor("docker.io").getFirst().root());
    }

    @Test
    void loopbackRegistriesUsePlainHttpByDefault() throws HawserException {
        for (String registry : List.of("localhost:5000", "127.0.0.1:5000", "127.1.2.3", "[::1]:5000")) {
            assertEquals(URI.create("http://" + registry + "/v2"), HostsConfig.defaults().hostsFor(registry).getFirst().root(), registry);
        }
    }

    @Test
    void configuredRegistriesUsePlainHttp() throws HawserException {
        HostsConfig config = new HostsConfig(null, Set.of("registry.lan:5000"));
        assertEquals(URI.create("http://registry.lan:5000/v2"), config.hostsFor("registry.lan:5000").getFirst().root());
        assertTrue(config.plainHttpAllowed("registry.lan:5000"));
        assertFalse(config.plainHttpAllowed("registry.lan:5001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST:80", "127.0.0.1", "127.255.0.1:5000", "[::1]", "[::1]:5000"})
    void recognizesLoopback(String authority) {
        assertTrue(HostsConfig.isLoopback(authority));
    }

    @ParameterizedTest
    @ValueSource(strings = {"128.0.0.1", "10.0.0.1:5000", "127.0.0", "127.0.0.256", "localhost.example", "[::2]", "registry.k8s.io"})
    void recognizesNonLoopback(String authority) {
        assertFalse(HostsConfig.isLoopback(authority));
    }

    @Test
    void readsContainerdHostsFile() throws IOException {
        Path hostDir = Files.createDirectories(dir.resolve("certs.d/registry.k8s.io"));
        Files.writeString(hostDir.resolve("hosts.toml"), """
                server = "https://registry.k8s.io"
                ca = "server-ca.pem"

                [host."http://127.0.0.1:5000"]
                  capabilities = ["pull", "resolve"]

                [host."https://mirror.example/custom/path"]
                  capabilities = ["pull"]
                  skip_verify = true
                  ca = ["/etc/ca-a.pem", "ca-b.pem"]
                  override_path = true
                  header = { Authorization = "Bearer x", X-Multi = ["a", "b"] }
                  client = "ignored.pem"

                [host."https://mirror.example:8443/prefix"]
                """);
        List<RegistryHost> hosts = new HostsConfig(dir, Set.of()).hostsFor("registry.k8s.io");

        assertEquals(4, hosts.size());
        RegistryHost loopback = hosts.get(0);
        assertEquals(URI.create("http://127.0.0.1:5000/v2"), loopback.root());
        assertEquals(EnumSet.of(Capability.PULL, Capability.RESOLVE), loopback.capabilities());
        assertTrue(loopback.mirror());

        RegistryHost custom = hosts.get(1);
        assertEquals(URI.create("https://mirror.example/custom/path"), custom.root(), "override_path keeps the path as the API root");
        assertEquals(EnumSet.of(Capability.PULL), custom.capabilities());
        assertTrue(custom.skipVerify());
        assertEquals(List.of(Path.of("/etc/ca-a.pem"), hostDir.resolve("ca-b.pem")), custom.caFiles());
        assertEquals(Map.of("Authorization", List.of("Bearer x"), "X-Multi", List.of("a", "b")), custom.headers());

        assertEquals(URI.create("https://mirror.example:8443/prefix/v2"), hosts.get(2).root());
        assertEquals(EnumSet.allOf(Capability.class), hosts.get(2).capabilities());

        RegistryHost server = hosts.get(3);
        assertEquals(URI.create("https://registry.k8s.io/v2"), server.root());
        assertFalse(server.mirror());
        assertEquals(List.of(hostDir.resolve("server-ca.pem")), server.caFiles());
    }

    @Test
    void withoutServerTheRegistryItselfComesLast() throws IOException {
        Path hostDir = Files.createDirectories(dir.resolve("certs.d/docker.io"));
        Files.writeString(hostDir.resolve("hosts.toml"), "[host.\"https://mirror.example\"]\n");
        List<RegistryHost> hosts = new HostsConfig(dir, Set.of()).hostsFor("docker.io");
        assertEquals(List.of(URI.create("https://mirror.example/v2"), URI.create("https://registry-1.docker.io/v2")),
                hosts.stream().map(RegistryHost::root).toList());
    }

    @Test
    void defaultDirectoryServesRegistriesWithoutTheirOwn() throws IOException {
        Path defaults = Files.createDirectories(dir.resolve("certs.d/_default"));
        Files.writeString(defaults.resolve("hosts.toml"), "[host.\"http://127.0.0.1:5000\"]\n");
        List<RegistryHost> hosts = new HostsConfig(dir, Set.of()).hostsFor("quay.io");
        assertEquals(List.of(URI.create("http://127.0.0.1:5000/v2"), URI.create("https://quay.io/v2")),
                hosts.stream().map(RegistryHost::root).toList());
    }

    @Test
    void directoryWithoutHostsFileMeansDefaults() throws IOException {
        Files.createDirectories(dir.resolve("certs.d/quay.io"));
        assertEquals(URI.create("https://quay.io/v2"), new HostsConfig(dir, Set.of()).hostsFor("quay.io").getFirst().root());
    }

    @Test
    void refusesWhatItCannotUse() throws IOException {
        assertBadFile("[host.\"https://m\"]\ncapabilities = [\"fly\"]\n", "capability 'fly'");
        assertBadFile("[host.\"ftp://m\"]\n", "must be an http or https URL");
        assertBadFile("skip_verify = \"yes\"\n", "'skip_verify'");
        assertBadFile("ca = 3\n", "'ca'");
        assertBadFile("server = [1]\n", "'server'");
        assertBadFile("this is not toml\n", "cannot be read");
    }

    private void assertBadFile(String toml, String expected) throws IOException {
        Path hostDir = Files.createDirectories(dir.resolve("certs.d/bad.example"));
        Files.writeString(hostDir.resolve("hosts.toml"), toml);
        HawserException e = assertThrows(HawserException.class, () -> new HostsConfig(dir, Set.of()).hostsFor("bad.example"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(hostDir.resolve("hosts.toml").toString()), e.getMessage());
    }
}
