package io.hawser.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides which platforms a machine can run and which of several it prefers, to pick one
 * manifest from a multi-platform index.
 *
 * <p>A machine runs its own platform best, then older variants of its architecture (an
 * {@code amd64/v3} CPU runs {@code amd64/v2} code, an {@code arm/v7} CPU runs {@code arm/v6}
 * code), and a 64-bit ARM machine also runs 32-bit ARM code. Nothing else matches: an amd64 host
 * does not fall back to {@code 386}, because 32-bit support is often missing from its kernel.
 */
public final class PlatformMatcher {

    private final Platform wanted;
    private final List<Platform> accepted;

    private PlatformMatcher(Platform wanted) {
        this.wanted = wanted;
        this.accepted = acceptedBy(wanted);
    }

    /** A matcher for the given platform, normalized first. */
    public static PlatformMatcher of(Platform platform) {
        return new PlatformMatcher(Objects.requireNonNull(platform, "platform").normalize());
    }

    /** A matcher for this machine ({@link Platform#host()}). */
    public static PlatformMatcher host() {
        return of(Platform.host());
    }

    /** The platform this matcher stands for. */
    public Platform platform() {
        return wanted;
    }

    /** Whether the machine can run a platform. */
    public boolean matches(Platform candidate) {
        return rank(candidate) >= 0;
    }

    /**
     * How much the machine prefers a platform: 0 for its own, higher for fallbacks, -1 for a
     * platform it cannot run.
     */
    public int rank(Platform candidate) {
        Platform c = candidate.normalize();
        // OS features and version matter to Windows only; compare what Linux images use
        return accepted.indexOf(new Platform(c.os(), c.architecture(), c.variant()));
    }

    /**
     * The item whose platform the machine prefers most, the first of equally good ones (an index
     * lists its manifests in the order their author prefers). Items without a platform are
     * skipped.
     *
     * @param items      the candidates, for example the manifests of an index
     * @param platformOf the platform of an item, or {@code null} when it has none
     */
    public <T> Optional<T> best(List<T> items, Function<? super T, Platform> platformOf) {
        T best = null;
        int bestRank = Integer.MAX_VALUE;
        for (T item : items) {
            Platform p = platformOf.apply(item);
            int r = p == null ? -1 : rank(p);
            if (r >= 0 && r < bestRank) {
                best = item;
                bestRank = r;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public String toString() {
        return "PlatformMatcher" + accepted;
    }

    private static List<Platform> acceptedBy(Platform w) {
        List<Platform> list = new ArrayList<>();
        list.add(new Platform(w.os(), w.architecture(), w.variant()));
        switch (w.architecture()) {
            case "amd64" -> olderVariants(list, w.os(), "amd64", w.variant(), 1, "");
            case "arm" -> olderVariants(list, w.os(), "arm", w.variant(), 5, null);
            case "arm64" -> {
                if (!w.variant().isEmpty()) {
                    list.add(new Platform(w.os(), "arm64", ""));
                }
                for (int v = 8; v >= 5; v--) {
                    list.add(new Platform(w.os(), "arm", "v" + v));
                }
            }
            default -> { }
        }
        return List.copyOf(list);
    }

    /**
     * Adds the variants below {@code variant} down to {@code lowest}; the lowest is spelled
     * {@code lowestSpelling} when the normalized form writes it differently (amd64 v1 is "").
     */
    private static void olderVariants(List<Platform> list, String os, String arch, String variant, int lowest, String lowestSpelling) {
        int level = variantLevel(variant);
        for (int v = level - 1; v >= lowest; v--) {
            String spelled = v == lowest && lowestSpelling != null ? lowestSpelling : "v" + v;
            list.add(new Platform(os, arch, spelled));
        }
    }

    /** The number of a {@code vN} variant; an empty or unrecognized variant has no older ones. */
    private static int variantLevel(String variant) {
        if (variant.matches("v[1-9]")) {
            return variant.charAt(1) - '0';
        }
        return 0;
    }
}
