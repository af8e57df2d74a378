package io.hawser.kernel.internal.spec;

import java.math.BigDecimal;

import io.hawser.errors.HawserException;

/**
 * A CPU bandwidth limit: the process may use {@code quotaMicros} of CPU time in every
 * {@code periodMicros}, so a quota of half the period is half a CPU.
 */
public record CpuLimit(long quotaMicros, long periodMicros) {

    /** The period {@code --cpus} uses, 100 ms, the kernel's default CFS period. */
    public static final long DEFAULT_PERIOD_MICROS = 100_000;

    /** The smallest quota the kernel accepts, 1 ms. */
    private static final long MIN_QUOTA_MICROS = 1_000;

    public CpuLimit {
        if (periodMicros <= 0 || quotaMicros < MIN_QUOTA_MICROS) {
            throw new IllegalArgumentException("cpu quota must be at least 1000 and period positive, got "
                    + quotaMicros + "/" + periodMicros);
        }
    }

    /**
     * The limit for a number of CPUs as {@code --cpus} takes it ({@code 0.5}, {@code 2}).
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the value when it is not a number, or
     *                         is so small the quota would be under 1 ms
     */
    public static CpuLimit ofCpus(String cpus) throws HawserException {
        BigDecimal quota;
        try {
            quota = new BigDecimal(String.valueOf(cpus).strip()).multiply(BigDecimal.valueOf(DEFAULT_PERIOD_MICROS));
        } catch (NumberFormatException e) {
            throw HawserException.invalidArgument("invalid cpus '" + cpus + "': use a number such as 0.5 or 2");
        }
        if (quota.compareTo(BigDecimal.valueOf(MIN_QUOTA_MICROS)) < 0 || quota.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw HawserException.invalidArgument("invalid cpus '" + cpus + "': must be at least 0.01");
        }
        return new CpuLimit(quota.longValue(), DEFAULT_PERIOD_MICROS);
    }
}
