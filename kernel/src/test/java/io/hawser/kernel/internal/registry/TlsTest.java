package io.hawser.kernel.internal.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import io.hawser.content.Digest;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.MediaTypes;
import io.hawser.images.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry over HTTPS with a self-signed certificate the JDK's keytool makes. */
class TlsTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private FakeRegistry registry;
    private Path hostDir;
    private Digest manifestDigest;

    @BeforeEach
    void start() throws Exception {
        Path keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD);
        hostDir = Files.createDirectories(dir.resolve("certs.d/secure.test"));
        keytool("-exportcert", "-rfc", "-alias", "registry", "-keystore", keystore.toString(), "-storepass", PASSWORD,
                "-file", hostDir.resolve("ca.pem").toString());
        registry = new FakeRegistry(serverContext(keystore));
        manifestDigest = registry.putManifest("app", "1", MediaTypes.OCI_INDEX,
                "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void untrustedCertificateIsUnavailableWithAHint() throws IOException {
        writeHosts("");
        HawserException e = assertThrows(HawserException.class, () -> resolve());
        assertEquals(ErrorCode.UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("TLS with registry host " + registry.authority()), e.getMessage());
        assertTrue(e.getMessage().contains("skip_verify"), e.getMessage());
    }

    @Test
    void configuredCaIsTrusted() throws IOException {
        writeHosts("ca = \"ca.pem\"");
        assertEquals(manifestDigest, resolve());
    }

    @Test
    void skipVerifyAcceptsAnyCertificate() throws IOException {
        writeHosts("skip_verify = true");
        assertEquals(manifestDigest, resolve());
    }

    @Test
    void theJdkAuthoritiesAreTrustedThroughTheContextMadeOnFirstUse() throws Exception {
        // a host without "ca" or "skip_verify": the system's authorities, in a context made when the first handshake needs it
        writeHosts("");
        Path trustStore = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", hostDir.resolve("ca.pem").toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        try {
            assertEquals(manifestDigest, resolve());
        } finally {
            System.clearProperty("javax.net.ssl.trustStore");
            System.clearProperty("javax.net.ssl.trustStorePassword");
        }
    }

    @Test
    void theClientParametersAreTheSystemContextsDefaults() throws Exception {
        SSLParameters defaults = TlsContexts.create(false, List.of()).getDefaultSSLParameters();
        assertArrayEquals(defaults.getProtocols(), TlsContexts.clientParameters().getProtocols());
        assertArrayEquals(defaults.getProtocols(), TlsContexts.systemDeferred().getDefaultSSLParameters().getProtocols());
    }

    private void writeHosts(String setting) throws IOException {
        Files.writeString(hostDir.resolve("hosts.toml"), "[host.\"" + registry.url() + "\"]\n" + setting + "\n");
    }

    private Digest resolve() throws IOException {
        try (RegistryClient client = new RegistryClient(new HostsConfig(dir, Set.of()), new DockerCredentials(List.of()),
                RegistryClient.Settings.defaults())) {
            Resolution resolution = client.resolve(Reference.parse("secure.test/app:1"), null);
            assertEquals(registry.url() + "/v2", resolution.host().root().toString());
            return resolution.root().digest();
        }
    }

    private static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
