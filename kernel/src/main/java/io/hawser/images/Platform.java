package io.hawser.images;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The operating system and CPU an image is built for, as the OCI image index describes it.
 *
 * <p>Registries and build tools spell the same CPU in several ways ({@code x86_64} and
 * {@code amd64}, {@code aarch64} and {@code arm64}, {@code arm64/v8} and plain {@code arm64});
 * {@link #normalize()} brings them to one spelling so platforms can be compared with
 * {@code equals}.
 *
 * @param os           the operating system, {@code linux}
 * @param architecture the CPU architecture in Go's terms: {@code amd64}, {@code arm64}, {@code arm}, …
 * @param variant      the CPU variant ({@code v7} for arm), or the empty string
 * @param osVersion    the operating system version, used by Windows images; else empty
 * @param osFeatures   required operating system features, used by Windows images; else empty
 */
public record Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {

    /** The platform Hawser pulls when nothing else is asked for and the host says nothing else. */
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null ? "" : variant;
        osVersion = osVersion == null ? "" : osVersion;
        osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
        if (os.isBlank() || architecture.isBlank()) {
            throw new IllegalArgumentException("platform needs an os and an architecture, got '" + os + "/" + architecture + "'");
        }
    }

    /** A platform without Windows fields. */
    public Platform(String os, String architecture, String variant) {
        this(os, architecture, variant, "", List.of());
    }

    /**
     * Parses {@code os/architecture} or {@code os/architecture/variant}, for example
     * {@code linux/amd64} or {@code linux/arm/v7}, and normalizes it.
     *
     * @throws IllegalArgumentException when the string has not two or three non-empty parts
     */
    public static Platform parse(String platform) {
        Objects.requireNonNull(platform, "platform");
        String[] parts = platform.split("/", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("platform must be os/architecture[/variant], got '" + platform + "'");
        }
        for (String part : parts) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("platform '" + platform + "' has an empty part");
            }
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "").normalize();
    }

    /**
     * The platform of this machine: Linux, whatever the JVM runs on, since that is what containers
     * are, and the JVM's CPU architecture.
     */
    public static Platform host() {
        String arch = System.getProperty("os.arch", "");
        return arch.isEmpty() ? LINUX_AMD64 : new Platform("linux", arch, "").normalize();
    }

    /**
     * This platform in canonical spelling: lower case, architecture aliases resolved, and the
     * default variant of an architecture written the way images most often write it (none for
     * {@code arm64} and {@code amd64}, {@code v7} for 32-bit {@code arm}).
     */
    public Platform normalize() {
        String arch = architecture.toLowerCase(Locale.ROOT);
        String v = variant.toLowerCase(Locale.ROOT);
        // "8" and "v8" are both seen in the wild; the v form is the OCI one
        if (!v.isEmpty() && Character.isDigit(v.charAt(0))) {
            v = "v" + v;
        }
        switch (arch) {
            case "x86_64", "x86-64", "amd64" -> {
                arch = "amd64";
                v = v.equals("v1") ? "" : v;
            }
            case "aarch64", "arm64" -> {
                arch = "arm64";
                v = v.equals("v8") ? "" : v;
            }
            case "armhf" -> {
                arch = "arm";
                v = "v7";
            }
            case "armel" -> {
                arch = "arm";
                v = "v6";
            }
            case "arm" -> v = v.isEmpty() ? "v7" : v;
            case "i386", "i486", "i586", "i686", "x86" -> arch = "386";
            default -> { }
        }
        return new Platform(os.toLowerCase(Locale.ROOT), arch, v, osVersion, osFeatures);
    }

    /** {@code os/architecture[/variant]}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }
}
