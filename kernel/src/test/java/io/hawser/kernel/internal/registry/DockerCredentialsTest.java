package io.hawser.kernel.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.images.RegistryAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void readsBase64UserAndPassword() throws IOException {
        Path file = write("config.json", "{\"auths\":{\"registry.local:5000\":{\"auth\":\"" + base64("bob:pa:ss") + "\"}}}");
        assertEquals(Optional.of(new RegistryAuth.Basic("registry.local:5000", "bob", "pa:ss")),
                new DockerCredentials(List.of(file)).lookup("registry.local:5000"));
    }

    @Test
    void readsUsernameAndPasswordFields() throws IOException {
        Path file = write("auth.json", "{\"auths\":{\"https://quay.io\":{\"username\":\"u\",\"password\":\"p\"}}}");
        assertEquals(Optional.of(new RegistryAuth.Basic("quay.io", "u", "p")), new DockerCredentials(List.of(file)).lookup("quay.io"));
    }

    @Test
    void readsIdentityAndRegistryTokens() throws IOException {
        Path file = write("config.json", """
                {"auths": {"a.example": {"auth": "%s", "identitytoken": "refresh"},
                           "b.example": {"registrytoken": "bearer"}}}""".formatted(base64("<token>:")));
        DockerCredentials credentials = new DockerCredentials(List.of(file));
        assertEquals(Optional.of(new RegistryAuth.IdentityToken("a.example", "refresh")), credentials.lookup("a.example"));
        assertEquals(Optional.of(new RegistryAuth.RegistryToken("b.example", "bearer")), credentials.lookup("b.example"));
    }

    @Test
    void dockerHubKeyServesAllItsNames() throws IOException {
        Path file = write("config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + base64("hub:pw") + "\"}}}");
        DockerCredentials credentials = new DockerCredentials(List.of(file));
        for (String host : List.of("registry-1.docker.io", "docker.io", "index.docker.io")) {
            assertEquals("hub", ((RegistryAuth.Basic) credentials.lookup(host).orElseThrow()).username(), host);
        }
    }

    @Test
    void firstFileWithAnEntryWinsAndEmptyEntriesAreSkipped() throws IOException {
        Path helper = write("helper.json", "{\"auths\":{\"r.example\":{}},\"credsStore\":\"desktop\"}");
        Path first = write("first.json", "{\"auths\":{\"r.example\":{\"auth\":\"" + base64("one:1") + "\"}}}");
        Path second = write("second.json", "{\"auths\":{\"r.example\":{\"auth\":\"" + base64("two:2") + "\"}}}");
        DockerCredentials credentials = new DockerCredentials(List.of(dir.resolve("missing.json"), helper, first, second));
        assertEquals("one", ((RegistryAuth.Basic) credentials.lookup("r.example").orElseThrow()).username());
        assertEquals(Optional.empty(), credentials.lookup("other.example"));
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Path notJson = write("broken.json", "{");
        HawserException e = assertThrows(HawserException.class, () -> new DockerCredentials(List.of(notJson)).lookup("x"));
        assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
        assertTrue(e.getMessage().contains(notJson.toString()), e.getMessage());

        Path badAuth = write("bad.json", "{\"auths\":{\"x\":{\"auth\":\"" + base64("no-colon") + "\"}}}");
        e = assertThrows(HawserException.class, () -> new DockerCredentials(List.of(badAuth)).lookup("x"));
        assertTrue(e.getMessage().contains("user:password"), e.getMessage());
    }

    @Test
    void defaultFilesFollowDockerAndPodman() {
        Path home = Path.of("/home/u");
        assertEquals(List.of(Path.of("/etc/docker-conf/config.json"), Path.of("/home/u/.docker/config.json"),
                        Path.of("/run/user/0/containers/auth.json")),
                DockerCredentials.defaultFiles(Map.of("DOCKER_CONFIG", "/etc/docker-conf", "XDG_RUNTIME_DIR", "/run/user/0"), home));
        assertEquals(List.of(Path.of("/home/u/.docker/config.json")), DockerCredentials.defaultFiles(Map.of(), home));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
