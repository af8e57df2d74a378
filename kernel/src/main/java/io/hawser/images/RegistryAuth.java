package io.hawser.images;

import java.util.Objects;

/**
 * Credentials for a registry, in the three forms CRI and docker config files carry them. Their
 * {@code toString} hides the secret so a logged request never leaks it.
 */
public sealed interface RegistryAuth {

    /** The registry host the credentials are for, for example {@code registry.local:5000}; empty for any. */
    String serverAddress();

    /**
     * A user name and password, sent to the registry's token service (or as HTTP basic
     * authentication when the registry has none).
     */
    record Basic(String serverAddress, String username, String password) implements RegistryAuth {
        public Basic {
            serverAddress = serverAddress == null ? "" : serverAddress;
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Basic[serverAddress=" + serverAddress + ", username=" + username + ", password=***]";
        }
    }

    /** A long-lived identity (refresh) token, exchanged at the token service for access tokens. */
    record IdentityToken(String serverAddress, String token) implements RegistryAuth {
        public IdentityToken {
            serverAddress = serverAddress == null ? "" : serverAddress;
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "IdentityToken[serverAddress=" + serverAddress + ", token=***]";
        }
    }

    /** A bearer token sent to the registry as it is. */
    record RegistryToken(String serverAddress, String token) implements RegistryAuth {
        public RegistryToken {
            serverAddress = serverAddress == null ? "" : serverAddress;
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "RegistryToken[serverAddress=" + serverAddress + ", token=***]";
        }
    }
}
