package io.hawser.commands.internal.containers;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.CriLog;
import io.hawser.runtime.Task;
import io.hawser.runtime.TaskState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser logs}: a container's output from its CRI log file, each line to the stream it was
 * written to, pieces of long lines joined; {@code -f} follows the file until the container exits.
 */
@Component(property = Command.NAME_PROPERTY + "=logs")
public final class LogsCommand implements Command {

    private final ContainerService containers;

    @Activate
    public LogsCommand(@Reference ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public String summary() {
        return "print a container's output (-f follows it until the container exits)";
    }

    @Override
    public String usage() {
        return "[-f|--follow] [-n|--tail N|all] [-t|--timestamps] CONTAINER";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        boolean follow = arguments.flag("-f", "--follow");
        boolean timestamps = arguments.flag("-t", "--timestamps");
        int tail = tail(arguments.option("-n", "--tail"));
        String name = arguments.operands(1, 1, "a container").getFirst();
        Container container = ContainerLookup.find(containers, name);
        Optional<Task> task = containers.task(container.id());

        Printer printer = new Printer(context.out(), context.err(), timestamps);
        CriLog.Joiner joiner = new CriLog.Joiner();
        Deque<CriLog.Line> last = new ArrayDeque<>();
        try (LogFile log = new LogFile(container.logPath())) {
            log.read(entry -> {
                Optional<CriLog.Line> line = joiner.add(entry);
                if (line.isPresent()) {
                    keepOrPrint(line.get(), tail, last, printer);
                }
            });
            if (follow && task.isPresent() && task.get().state().status() != TaskState.Status.STOPPED) {
                flushTail(last, printer);
                log.follow(task.get().waitFor(), entry -> {
                    Optional<CriLog.Line> line = joiner.add(entry);
                    if (line.isPresent()) {
                        printer.print(line.get());
                    }
                });
            }
        }
        for (CriLog.Line unfinished : joiner.unfinished()) {
            keepOrPrint(unfinished, tail, last, printer);
        }
        flushTail(last, printer);
        return 0;
    }

    /** {@code --tail}: a count of lines, or {@code all} (-1). */
    static int tail(Optional<String> option) throws CommandException {
        if (option.isEmpty() || option.get().equals("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(option.get());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new CommandException("--tail " + option.get() + ": give a number of lines or all", CommandException.USAGE);
        }
    }

    /** With a tail, lines wait in a window of the last ones; without, they print at once. */
    private static void keepOrPrint(CriLog.Line line, int tail, Deque<CriLog.Line> last, Printer printer) {
        if (tail < 0) {
            printer.print(line);
            return;
        }
        last.addLast(line);
        if (last.size() > tail) {
            last.removeFirst();
        }
    }

    private static void flushTail(Deque<CriLog.Line> last, Printer printer) {
        while (!last.isEmpty()) {
            printer.print(last.removeFirst());
        }
    }

    /** Writes lines to the caller's stream of the same name, with the timestamp first if asked. */
    record Printer(PrintStream out, PrintStream err, boolean timestamps) {
        void print(CriLog.Line line) {
            PrintStream to = line.stream() == Attachment.Stream.STDERR ? err : out;
            if (timestamps) {
                to.write((line.time() + " ").getBytes(StandardCharsets.US_ASCII), 0, line.time().length() + 1);
            }
            to.write(line.text(), 0, line.text().length);
            if (line.complete()) {
                to.write('\n');
            }
            to.flush();
        }
    }
}
