package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.hawser.commands.internal.Arguments;
import io.hawser.commands.internal.TextTable;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.runtime.Stats;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser stats}: CPU, memory and process counts of running containers, a new table every
 * second (redrawn in place on a terminal) until interrupted, or one with {@code --no-stream}. CPU
 * use is a rate, so each table compares two measurements a second apart.
 */
@Component(property = {Command.NAME_PROPERTY + "=stats", Command.NAME_PROPERTY + "=container stats"})
public final class StatsCommand implements Command {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final String CLEAR_SCREEN = "\033[2J\033[H";

    private final ContainerService containers;

    @Activate
    public StatsCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "show running containers' CPU, memory and process counts (--no-stream: once)";
    }

    @Override
    public String usage() {
        return "[--no-stream] [CONTAINER...]";
    }

    /** One container's row: its two latest measurements. */
    record Sample(Container container, Stats before, Stats after) {}


    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        boolean once = arguments.flag("--no-stream");
        List<String> names = arguments.operands(0, Integer.MAX_VALUE, "containers");
        List<Container> named = new ArrayList<>();
        for (String name : names) {
            named.add(ContainerLookup.find(containers, name));
        }
        long hostMemory = hostMemory(Path.of("/proc/meminfo"));
        Map<String, Stats> previous = new HashMap<>();
        measure(named.isEmpty() ? containers.list() : named, previous).forEach(s -> previous.put(s.container().id(), s.after()));
        while (true) {
            Thread.sleep(INTERVAL);
            List<Sample> samples = measure(named.isEmpty() ? containers.list() : named, previous);
            previous.clear();
            samples.forEach(s -> previous.put(s.container().id(), s.after()));
            if (context.terminal() && !once) {
                context.out().print(CLEAR_SCREEN);
            }
            table(samples, hostMemory).print(context.out());
            if (once) {
                return 0;
            }
        }
    }

    /** Measures the containers that have a running task; one that stops meanwhile is left out. */
    private List<Sample> measure(List<Container> of, Map<String, Stats> previous) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (Container container : of) {
            Optional<Task> task = containers.task(container.id());
            if (task.isEmpty()) {
                continue;
            }
            try {
                TaskState.Status status = task.get().state().status();
                if (status == TaskState.Status.RUNNING || status == TaskState.Status.PAUSED) {
                    Stats now = task.get().stats();
                    samples.add(new Sample(container, previous.getOrDefault(container.id(), now), now));
                }
            } catch (IOException e) {
                // the task ended between listing and measuring
            }
        }
        return samples;
    }

    static TextTable table(List<Sample> samples, long hostMemory) {
        TextTable table = new TextTable("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS");
        for (Sample sample : samples) {
            Stats after = sample.after();
            // no limit, or cgroup v1's "unlimited" (a huge number): the host's memory is the limit
            long limit = after.memoryLimitBytes() < 0 || (hostMemory > 0 && after.memoryLimitBytes() > hostMemory)
                    ? hostMemory : after.memoryLimitBytes();
            table.row(PsCommand.shortId(sample.container().id()), sample.container().name(),
                    percent(cpuFraction(sample.before(), after)),
                    bytes(after.memoryWorkingSetBytes()) + " / " + bytes(limit),
                    percent(limit > 0 ? (double) after.memoryWorkingSetBytes() / limit : 0),
                    Long.toString(after.pids()));
        }
        return table;
    }

    /** CPU time used per wall time between two measurements: 1.0 is one CPU busy all the time. */
    static double cpuFraction(Stats before, Stats after) {
        long wall = Duration.between(before.timestamp(), after.timestamp()).toNanos();
        long cpu = after.cpuUsageNanos() - before.cpuUsageNanos();
        return wall <= 0 || cpu < 0 ? 0 : (double) cpu / wall;
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    /** Binary units with up to four significant digits, as docker prints memory: {@code 1.465MiB}, {@code 512KiB}. */
    static String bytes(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString() + units[unit];
    }

    /** The host's memory: the limit of a container that has none. */
    static long hostMemory(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo, StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: containers without a limit show none
        }
        return 0;
    }
}
