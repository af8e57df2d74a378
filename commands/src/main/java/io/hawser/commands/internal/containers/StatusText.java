package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.hawser.runtime.TaskState;

/**
 * How {@code ps} words a container's state and age, in docker's words, so what operators read and
 * grep for is what they know: {@code Up 5 seconds}, {@code Exited (0) 3 seconds ago},
 * {@code Created}, {@code Up 2 minutes (Paused)}.
 */
final class StatusText {

    /** Linux reports process start times in clock ticks of this many per second on every architecture Hawser runs on. */
    private static final long USER_HZ = 100;

    private StatusText() {}

    /**
     * A duration as docker words it: seconds up to a minute, then minutes, hours (rounded) up to
     * two days, days up to two weeks, weeks up to two months, months up to two years, then years.
     */
    static String humanDuration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds < 60) {
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        long minutes = duration.toMinutes();
        if (minutes < 60) {
            return minutes == 1 ? "About a minute" : minutes + " minutes";
        }
        long hours = Math.round(duration.toSeconds() / 3600.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 14) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 60) {
            return hours / (24 * 7) + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / (24 * 30) + " months";
        }
        return duration.toHours() / (24 * 365) + " years";
    }

    /** {@code 3 minutes ago}. */
    static String ago(Instant then, Instant now) {
        return humanDuration(Duration.between(then, now)) + " ago";
    }

    /**
     * The STATUS column.
     *
     * @param state   the task's state, empty for a container without a task
     * @param started when the task's process started, for the time it is up
     * @param now     the time the listing is made
     */
    static String status(Optional<TaskState> state, Instant started, Instant now) {
        if (state.isEmpty()) {
            return "Created";
        }
        TaskState s = state.get();
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + humanDuration(Duration.between(started, now));
            case PAUSING, PAUSED -> "Up " + humanDuration(Duration.between(started, now)) + " (Paused)";
            case STOPPED -> "Exited (" + s.exitStatus().code() + ") " + ago(s.exitStatus().exitedAt(), now);
            case UNKNOWN -> "Unknown";
        };
    }

    /** The COMMAND column: the process's arguments in quotes, cut to {@code width} characters with an ellipsis. */
    static String command(List<String> args, int width) {
        String command = String.join(" ", args);
        if (command.length() > width) {
            command = command.substring(0, width - 1) + "…";
        }
        return "\"" + command + "\"";
    }

    /** The IMAGE column: Docker Hub's prefixes dropped, as docker shows references. */
    static String image(String reference) {
        return reference.replaceFirst("^docker\\.io/library/", "").replaceFirst("^docker\\.io/", "");
    }

    /**
     * When a host process started, from the start time {@code /proc/PID/stat} gives in ticks after
     * boot and the boot time in {@code /proc/stat}: a task's state carries no start time, and the
     * init process starts when the task does.
     */
    static Optional<Instant> processStart(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // the command name in parentheses may hold spaces and parentheses: fields count from the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[19]);
            long bootTime = Files.readAllLines(proc.resolve("stat"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("btime "))
                    .mapToLong(line -> Long.parseLong(line.substring(6).strip()))
                    .findFirst().orElseThrow();
            return Optional.of(Instant.ofEpochSecond(bootTime).plusMillis(ticks * 1000 / USER_HZ));
        } catch (IOException | RuntimeException e) {
            // the process is gone, or this is not Linux: the caller falls back to the creation time
            return Optional.empty();
        }
    }
}
