package io.hawser.cri.streaming;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.hawser.errors.HawserException;

/**
 * The requests handed out and not yet used, by token. A token is good for one connection within
 * {@link #LIFETIME}, as with kubelet's request cache: the URL travels through the API server and
 * logs, so it must not stay useful.
 */
final class StreamTokens {

    static final Duration LIFETIME = Duration.ofMinutes(1);

    /** Bounds the memory a client that asks for URLs and never uses them can pin. */
    static final int MAX_PENDING = 1000;

    private static final int TOKEN_BYTES = 16;

    private record Pending(StreamRequest request, Instant expiresAt) {}

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final InstantSource clock;

    StreamTokens(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * Keeps {@code request} and returns its new token.
     *
     * @throws HawserException {@code UNAVAILABLE} when {@link #MAX_PENDING} requests wait already
     */
    String add(StreamRequest request) throws HawserException {
        Instant now = clock.instant();
        pending.values().removeIf(waiting -> !now.isBefore(waiting.expiresAt()));
        if (pending.size() >= MAX_PENDING) {
            throw HawserException.unavailable("too many streaming requests waiting for their clients ("
                    + MAX_PENDING + "); try again later");
        }
        byte[] bytes = new byte[TOKEN_BYTES];
        String token;
        do {
            random.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (pending.putIfAbsent(token, new Pending(request, now.plus(LIFETIME))) != null);
        return token;
    }

    /**
     * Removes and returns the request of {@code token} when it is of {@code kind} and has not
     * expired; a token of another kind stays usable for its own kind.
     */
    Optional<StreamRequest> take(String kind, String token) {
        Pending found = pending.get(token);
        if (found == null || !found.request().kind().equals(kind)) {
            return Optional.empty();
        }
        // remove(key, value) succeeds for one caller only, so two racing connections cannot share a token
        if (!pending.remove(token, found) || !clock.instant().isBefore(found.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(found.request());
    }
}
