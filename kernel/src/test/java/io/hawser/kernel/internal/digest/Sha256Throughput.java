package io.hawser.kernel.internal.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * Measures SHA-256 throughput by hand (not a test: timings do not belong in the build). Hashes a
 * 64 KiB array over and over, the size of the registry client's copy buffer, for a warm-up and
 * then a measured interval, and prints MiB/s. Run after {@code ./mvnw -pl kernel test-compile}:
 *
 * <pre>
 * java -cp kernel/target/classes:kernel/target/test-classes:JNA_JAR [-XX:TieredStopAtLevel=1] \
 *     io.hawser.kernel.internal.digest.Sha256Throughput jdk|libcrypto [SECONDS]
 * </pre>
 */
public final class Sha256Throughput {

    private static final int CHUNK = 64 * 1024;

    private Sha256Throughput() {
    }

    public static void main(String[] args) throws NoSuchAlgorithmException {
        if (args.length < 1 || !args[0].matches("jdk|libcrypto")) {
            System.err.println("usage: Sha256Throughput jdk|libcrypto [SECONDS]");
            System.exit(2);
        }
        boolean libcrypto = args[0].equals("libcrypto");
        if (libcrypto && !LibCryptoSha256.isAvailable()) {
            System.err.println("libcrypto did not load");
            System.exit(1);
        }
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : 5;
        MessageDigest hasher = libcrypto ? new LibCryptoSha256() : MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[CHUNK];
        new Random(1).nextBytes(chunk);
        // the warm-up lets the JIT compile what it will at this tier
        hashFor(hasher, chunk, 2);
        long started = System.nanoTime();
        long bytes = hashFor(hasher, chunk, seconds);
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("%s: %.0f MiB/s (%d MiB in %.1f s)%n", args[0], bytes / elapsed / (1 << 20), bytes >> 20, elapsed);
    }

    private static long hashFor(MessageDigest hasher, byte[] chunk, long seconds) {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        long bytes = 0;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 16; i++) {
                hasher.update(chunk);
            }
            bytes += 16L * chunk.length;
            hasher.digest();
        }
        return bytes;
    }
}
