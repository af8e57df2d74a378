package io.hawser.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PlatformMatcherTest {

    private static PlatformMatcher matcher(String platform) {
        return PlatformMatcher.of(Platform.parse(platform));
    }

    @Test
    void amd64MatchesOnlyItself() {
        PlatformMatcher m = matcher("linux/amd64");
        assertTrue(m.matches(Platform.parse("linux/x86_64")));
        assertFalse(m.matches(Platform.parse("linux/amd64/v2")));
        assertFalse(m.matches(Platform.parse("linux/386")));
        assertFalse(m.matches(Platform.parse("linux/arm64")));
        assertFalse(m.matches(new Platform("windows", "amd64", "")));
    }

    @Test
    void newerAmd64VariantRunsOlderOnes() {
        PlatformMatcher m = matcher("linux/amd64/v3");
        assertEquals(0, m.rank(Platform.parse("linux/amd64/v3")));
        assertEquals(1, m.rank(Platform.parse("linux/amd64/v2")));
        assertEquals(2, m.rank(Platform.parse("linux/amd64")));
        assertEquals(-1, m.rank(Platform.parse("linux/amd64/v4")));
    }

    @Test
    void arm64FallsBackTo32BitArm() {
        PlatformMatcher m = matcher("linux/arm64");
        assertEquals(0, m.rank(new Platform("linux", "arm64", "v8")));
        assertTrue(m.rank(Platform.parse("linux/arm/v7")) > 0);
        assertTrue(m.rank(Platform.parse("linux/arm/v7")) < m.rank(Platform.parse("linux/arm/v6")));
    }

    @Test
    void armV7RunsV6ButNotV8() {
        PlatformMatcher m = matcher("linux/arm/v7");
        assertTrue(m.matches(Platform.parse("linux/arm/v6")));
        assertTrue(m.matches(Platform.parse("linux/arm/v5")));
        assertFalse(m.matches(Platform.parse("linux/arm/v8")));
        assertFalse(m.matches(Platform.parse("linux/arm64")));
    }

    @Test
    void bestPicksPreferredThenFirst() {
        record Entry(String name, Platform platform) {}
        List<Entry> index = List.of(
                new Entry("attestation", null),
                new Entry("v6", Platform.parse("linux/arm/v6")),
                new Entry("amd64", Platform.parse("linux/amd64")),
                new Entry("v7-first", Platform.parse("linux/arm/v7")),
                new Entry("v7-second", Platform.parse("linux/arm/v7")));
        assertEquals(Optional.of("v7-first"), matcher("linux/arm64").best(index, Entry::platform).map(Entry::name));
        assertEquals(Optional.of("amd64"), matcher("linux/amd64").best(index, Entry::platform).map(Entry::name));
        assertEquals(Optional.empty(), matcher("linux/s390x").best(index, Entry::platform));
    }
}
