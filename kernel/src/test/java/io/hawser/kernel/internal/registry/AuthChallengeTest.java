package io.hawser.kernel.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void parsesBearerWithQuotedParameters() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");
        assertEquals(AuthChallenge.BEARER, c.scheme());
        assertEquals(Map.of("realm", "https://auth.example/token", "service", "registry.example", "scope", "repository:a/b:pull,push"),
                c.parameters());
    }

    @Test
    void parsesTokensEscapesAndBlanks() {
        AuthChallenge c = AuthChallenge.parse("basic  Realm=plain , charset=\"UTF-8\", note=\"say \\\"hi\\\"\"");
        assertEquals(AuthChallenge.BASIC, c.scheme());
        assertEquals("plain", c.parameter("realm").orElseThrow());
        assertEquals("UTF-8", c.parameter("charset").orElseThrow());
        assertEquals("say \"hi\"", c.parameter("note").orElseThrow());
    }

    @Test
    void prefersBearerAndSkipsUnknownSchemes() {
        assertEquals(AuthChallenge.BEARER, AuthChallenge.select(List.of("Basic realm=x", "Bearer realm=y")).orElseThrow().scheme());
        assertEquals(AuthChallenge.BASIC, AuthChallenge.select(List.of("Negotiate", "Basic realm=x")).orElseThrow().scheme());
        assertTrue(AuthChallenge.select(List.of("Negotiate abc")).isEmpty());
        assertTrue(AuthChallenge.select(List.of()).isEmpty());
    }
}
