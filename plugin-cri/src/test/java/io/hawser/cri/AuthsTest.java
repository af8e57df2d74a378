package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.hawser.cri.api.v1.AuthConfig;
import io.hawser.images.RegistryAuth;
import org.junit.jupiter.api.Test;

class AuthsTest {

    private static final String SERVER = "registry.local:5000";

    @Test
    void noCredentialsPullAnonymously() {
        assertNull(Auths.of(null));
        assertNull(Auths.of(AuthConfig.newBuilder().setServerAddress(SERVER).build()));
    }

    @Test
    void userAndPassword() {
        RegistryAuth auth = Auths.of(AuthConfig.newBuilder().setServerAddress(SERVER).setUsername("u").setPassword("p").build());
        assertEquals(new RegistryAuth.Basic(SERVER, "u", "p"), auth);
    }

    @Test
    void authIsBase64OfUserAndPassword() {
        String encoded = Base64.getEncoder().encodeToString("u:p:with:colons".getBytes(StandardCharsets.UTF_8));
        assertEquals(new RegistryAuth.Basic("", "u", "p:with:colons"), Auths.of(AuthConfig.newBuilder().setAuth(encoded).build()));
    }

    @Test
    void tokensWinOverPasswords() {
        AuthConfig.Builder all = AuthConfig.newBuilder().setServerAddress(SERVER).setUsername("u").setPassword("p")
                .setIdentityToken("identity").setRegistryToken("bearer");
        assertEquals(new RegistryAuth.RegistryToken(SERVER, "bearer"), Auths.of(all.build()));
        assertEquals(new RegistryAuth.IdentityToken(SERVER, "identity"), Auths.of(all.clearRegistryToken().build()));
    }

    @Test
    void badAuthIsAnInvalidArgumentNamingTheField() {
        StatusRuntimeException notBase64 = assertThrows(StatusRuntimeException.class,
                () -> Auths.of(AuthConfig.newBuilder().setAuth("***").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, notBase64.getStatus().getCode());
        assertEquals("auth.auth is not base64", notBase64.getStatus().getDescription());

        String noColon = Base64.getEncoder().encodeToString("user".getBytes(StandardCharsets.UTF_8));
        StatusRuntimeException noPassword = assertThrows(StatusRuntimeException.class,
                () -> Auths.of(AuthConfig.newBuilder().setAuth(noColon).build()));
        assertEquals("auth.auth is not base64 of user:password", noPassword.getStatus().getDescription());
    }
}
