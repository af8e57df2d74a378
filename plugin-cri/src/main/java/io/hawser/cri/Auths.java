package io.hawser.cri;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.hawser.cri.api.v1.AuthConfig;
import io.hawser.images.RegistryAuth;

/** Turns the credentials of a CRI pull into the kernel's {@link RegistryAuth}. */
final class Auths {

    private Auths() {}

    /**
     * The credentials a pull request carries, or {@code null} for an anonymous pull. A request
     * may fill several forms; the most specific wins, as with Docker's config files: a registry
     * token is sent as it is, an identity token is exchanged at the token service, then a user
     * name with password, then {@code auth} (base64 of {@code user:password}).
     *
     * @throws io.grpc.StatusRuntimeException {@code INVALID_ARGUMENT} naming {@code auth.auth}
     *                                        when it is not base64 of {@code user:password}
     */
    static RegistryAuth of(AuthConfig auth) {
        if (auth == null) {
            return null;
        }
        String server = auth.getServerAddress();
        if (!auth.getRegistryToken().isEmpty()) {
            return new RegistryAuth.RegistryToken(server, auth.getRegistryToken());
        }
        if (!auth.getIdentityToken().isEmpty()) {
            return new RegistryAuth.IdentityToken(server, auth.getIdentityToken());
        }
        if (!auth.getUsername().isEmpty()) {
            return new RegistryAuth.Basic(server, auth.getUsername(), auth.getPassword());
        }
        if (!auth.getAuth().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.getAuth().strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw Calls.invalid("auth.auth", "is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw Calls.invalid("auth.auth", "is not base64 of user:password");
            }
            return new RegistryAuth.Basic(server, decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        return null;
    }
}
