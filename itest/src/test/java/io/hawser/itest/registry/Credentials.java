package io.hawser.itest.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A user name and password, as the auth variants of {@link LocalRegistry} require them. */
public record Credentials(String user, String password) {

    /** The value of an {@code Authorization} header for HTTP basic auth. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Docker-style {@code config.json} holding these credentials for one registry host, the
     * way {@code docker login} writes it.
     */
    public String dockerConfigJson(String host) {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new String(ImageBuilder.json(Map.of("auths", Map.of(host, Map.of("auth", auth)))), StandardCharsets.UTF_8);
    }
}
