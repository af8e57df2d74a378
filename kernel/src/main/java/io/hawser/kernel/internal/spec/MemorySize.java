package io.hawser.kernel.internal.spec;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hawser.errors.HawserException;

/**
 * Parses memory sizes as {@code --memory} takes them: a number of bytes, or a number with a
 * binary unit {@code b}, {@code k}, {@code m}, {@code g}, {@code t} (also {@code kb}, {@code mb},
 * …, any case), as docker and nerdctl do. A fraction needs a unit ({@code 1.5g}, not {@code 1.5}) and is
 * rounded down to whole bytes.
 */
public final class MemorySize {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)b?");

    private MemorySize() {}

    /**
     * The size in bytes.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the value when it is not a positive
     *                         size that fits in 63 bits
     */
    public static long parseBytes(String value) throws HawserException {
        Matcher matcher = value == null ? null : SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (matcher == null || !matcher.matches() || (matcher.group(2).isEmpty() && matcher.group(1).contains("."))) {
            throw HawserException.invalidArgument("invalid memory size '" + value + "': use whole bytes or a number with k, m, g or t");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        if (bytes.compareTo(BigDecimal.ONE) < 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw HawserException.invalidArgument("invalid memory size '" + value + "': must be at least 1 byte and below 8 EiB");
        }
        return bytes.longValue();
    }
}
