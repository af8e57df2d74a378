package io.hawser.kernel.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.metadata.Leases.Kind;
import io.hawser.kernel.internal.metadata.Leases.Lease;
import io.hawser.kernel.internal.metadata.Leases.Resource;
import io.hawser.kernel.internal.StoreTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LeasesTest extends StoreTestBase {

    private Leases leases;

    @Override
    protected void openStores() {
        leases = new Leases(metadata, clock);
    }

    private static ErrorCode code(Executable call) {
        return assertThrows(HawserException.class, call).code();
    }

    @Test
    void leaseHoldsResourcesUntilDeleted() throws IOException {
        Lease lease = leases.create("pull-1", Map.of("image", "busybox"), null);
        assertNull(lease.expires());
        leases.add("pull-1", new Resource(Kind.CONTENT, "sha256:aa"));
        leases.add("pull-1", new Resource(Kind.CONTENT, "sha256:aa"));
        leases.add("pull-1", new Resource(Kind.INGEST, "ref-1"));
        assertEquals(List.of(new Resource(Kind.CONTENT, "sha256:aa"), new Resource(Kind.INGEST, "ref-1")), leases.resources("pull-1"));
        assertEquals(Set.of("sha256:aa"), leases.protectedIds(Kind.CONTENT, clock.instant()));
        assertEquals(Set.of("ref-1"), leases.protectedIds(Kind.INGEST, clock.instant()));

        leases.remove("pull-1", new Resource(Kind.INGEST, "ref-1"));
        assertEquals(Set.of(), leases.protectedIds(Kind.INGEST, clock.instant()));
        leases.delete("pull-1");
        assertEquals(Set.of(), leases.protectedIds(Kind.CONTENT, clock.instant()));
        assertEquals(List.of(), leases.list());
    }

    @Test
    void expiredLeaseProtectsNothingAndIsDeleted() throws IOException {
        leases.create("short", Map.of(), clock.instant().plus(Duration.ofMinutes(10)));
        leases.create("forever", Map.of(), null);
        leases.add("short", new Resource(Kind.SNAPSHOT, "overlay/k1"));
        assertEquals(Set.of("overlay/k1"), leases.protectedIds(Kind.SNAPSHOT, clock.instant()));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Set.of(), leases.protectedIds(Kind.SNAPSHOT, clock.instant()));
        assertEquals(1, leases.deleteExpired(clock.instant()));
        assertEquals(List.of("forever"), leases.list().stream().map(Lease::id).toList());
    }

    @Test
    void leasesSurviveReopening() throws IOException {
        Lease created = leases.create("kept", Map.of("a", "b"), Instant.parse("2026-02-01T00:00:00Z"));
        restart();
        assertEquals(List.of(created), leases.list());
    }

    @Test
    void refusalsNameTheLease() throws IOException {
        leases.create("one", Map.of(), null);
        assertEquals(ErrorCode.ALREADY_EXISTS, code(() -> leases.create("one", Map.of(), null)));
        assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> leases.create("", Map.of(), null)));
        assertEquals(ErrorCode.NOT_FOUND, code(() -> leases.add("two", new Resource(Kind.CONTENT, "x"))));
        assertEquals(ErrorCode.NOT_FOUND, code(() -> leases.remove("two", new Resource(Kind.CONTENT, "x"))));
        assertEquals(ErrorCode.NOT_FOUND, code(() -> leases.resources("two")));
        assertEquals(ErrorCode.NOT_FOUND, code(() -> leases.delete("two")));
    }
}
