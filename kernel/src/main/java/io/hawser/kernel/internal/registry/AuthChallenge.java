package io.hawser.kernel.internal.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a registry's 401 answer asks for, from its {@code WWW-Authenticate} header:
 * {@code Basic realm="…"}, or {@code Bearer realm="https://auth/token",service="registry",
 * scope="repository:x:pull"} naming the token service to get a token from.
 *
 * @param scheme     {@code basic} or {@code bearer}, lower case
 * @param parameters the auth parameters, names in lower case, values unquoted
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    /** The scheme of registries that take a user name and password with every request. */
    public static final String BASIC = "basic";
    /** The scheme of registries that take tokens from a token service. */
    public static final String BEARER = "bearer";

    public AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    /** A parameter, such as {@code realm}, {@code service} or {@code scope}. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * The first challenge of a scheme Hawser can answer, Bearer preferred over Basic, from the
     * values of all {@code WWW-Authenticate} headers of a response.
     */
    public static Optional<AuthChallenge> select(List<String> headerValues) {
        AuthChallenge basic = null;
        for (String value : headerValues) {
            AuthChallenge challenge = parse(value);
            if (challenge.scheme.equals(BEARER)) {
                return Optional.of(challenge);
            }
            if (challenge.scheme.equals(BASIC) && basic == null) {
                basic = challenge;
            }
        }
        return Optional.ofNullable(basic);
    }

    /**
     * Parses one challenge: a scheme, blanks, then {@code name=value} pairs separated by commas,
     * values either tokens or quoted strings with backslash escapes.
     */
    static AuthChallenge parse(String header) {
        String s = header.strip();
        int space = 0;
        while (space < s.length() && !Character.isWhitespace(s.charAt(space))) {
            space++;
        }
        String scheme = s.substring(0, space).toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = space;
        while (i < s.length()) {
            while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
                i++;
            }
            int nameStart = i;
            while (i < s.length() && s.charAt(i) != '=' && s.charAt(i) != ',') {
                i++;
            }
            String name = s.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
            if (i >= s.length() || s.charAt(i) != '=') {
                continue;
            }
            i++;
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    value.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ',') {
                    value.append(s.charAt(i++));
                }
            }
            if (!name.isEmpty()) {
                parameters.put(name, value.toString().strip());
            }
        }
        return new AuthChallenge(scheme, parameters);
    }
}
