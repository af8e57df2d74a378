package io.hawser.cri.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final StreamTokens tokens = new StreamTokens(new InstantSource() {
        @Override
        public Instant instant() {
            return now;
        }
    });
    private final StreamRequest attach = new StreamRequest.Attach("c1", false, false, true, true);

    @Test
    void tooManyWaitingRequestsAreRefusedUntilSomeExpire() throws Exception {
        for (int i = 0; i < StreamTokens.MAX_PENDING; i++) {
            tokens.add(attach);
        }
        HawserException refused = assertThrows(HawserException.class, () -> tokens.add(attach));
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        now = now.plus(StreamTokens.LIFETIME);
        String token = tokens.add(attach);
        assertEquals(attach, tokens.take("attach", token).orElseThrow());
    }

    @Test
    void aTokenIsGoodUntilJustBeforeItsLifetimeEnds() throws Exception {
        String token = tokens.add(attach);
        now = now.plus(StreamTokens.LIFETIME).minusMillis(1);
        assertTrue(tokens.take("attach", token).isPresent());
        String late = tokens.add(attach);
        now = now.plus(StreamTokens.LIFETIME);
        assertTrue(tokens.take("attach", late).isEmpty());
    }

    @Test
    void requestsCheckWhatTheyAreGiven() {
        assertThrows(IllegalArgumentException.class, () -> new StreamRequest.Exec("c1", List.of(), false, false, true, false));
        assertThrows(IllegalArgumentException.class, () -> new StreamRequest.Attach("c1", false, false, false, false));
        assertThrows(IllegalArgumentException.class, () -> new StreamRequest.PortForward("p1", List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new StreamRequest.Exec(" ", List.of("ls"), false, false, true, false));
        assertEquals(false, new StreamRequest.Exec("c1", List.of("sh"), true, true, true, true).stderr(), "a terminal has no stderr");
    }

    @Test
    void addressesParseWithTheirPort() {
        assertEquals(10250, StreamingServer.parseAddress("127.0.0.1:10250").getPort());
        assertEquals(new java.net.InetSocketAddress("::1", 0), StreamingServer.parseAddress("[::1]:0"));
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class, () -> StreamingServer.parseAddress("localhost"));
        assertEquals("streaming address must be host:port, got \"localhost\"", noPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamingServer.parseAddress("127.0.0.1:99999"));
    }
}
