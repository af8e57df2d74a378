package io.hawser.runtime;

import java.util.Locale;
import java.util.Map;

/**
 * Linux signal numbers, and the names image configurations and CRI use for them
 * ({@code StopSignal: "SIGQUIT"}). The numbers are those of x86-64 and arm64, which agree.
 */
public final class Signals {

    /** Hang up; many daemons reload on it. */
    public static final int SIGHUP = 1;
    /** Interrupt, as Ctrl-C sends it. */
    public static final int SIGINT = 2;
    /** Kill, not catchable. */
    public static final int SIGKILL = 9;
    /** Terminate politely: the default stop signal. */
    public static final int SIGTERM = 15;

    /** The first real-time signal as the C library numbers it (glibc and musl reserve 32 and 33). */
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19),
            Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23),
            Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27),
            Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29), Map.entry("PWR", 30),
            Map.entry("SYS", 31));

    private Signals() {}

    /**
     * The number of a signal written as a number ({@code 15}), a name with or without the
     * {@code SIG} prefix in any case ({@code SIGTERM}, {@code term}), or a real-time signal
     * ({@code SIGRTMIN+3}, {@code RTMAX-1}).
     *
     * @throws IllegalArgumentException when it names no Linux signal
     */
    public static int parse(String signal) {
        String s = signal.strip().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            return inRange(s.length() > 2 ? -1 : Integer.parseInt(s), signal);
        }
        String name = s.startsWith("SIG") ? s.substring(3) : s;
        Integer number = NUMBERS.get(name);
        if (number != null) {
            return number;
        }
        if (name.startsWith("RTMIN")) {
            return inRange(SIGRTMIN + offset(name.substring(5), signal), signal);
        }
        if (name.startsWith("RTMAX")) {
            return inRange(SIGRTMAX + offset(name.substring(5), signal), signal);
        }
        throw new IllegalArgumentException("unknown signal '" + signal + "'");
    }

    private static int offset(String suffix, String signal) {
        if (suffix.isEmpty()) {
            return 0;
        }
        if (suffix.matches("[+-][0-9]{1,2}")) {
            return Integer.parseInt(suffix);
        }
        throw new IllegalArgumentException("unknown signal '" + signal + "'");
    }

    private static int inRange(int number, String signal) {
        if (number < 1 || number > SIGRTMAX) {
            throw new IllegalArgumentException("signal '" + signal + "' is outside 1.." + SIGRTMAX);
        }
        return number;
    }
}
