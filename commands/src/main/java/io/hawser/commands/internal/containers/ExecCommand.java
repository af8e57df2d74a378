package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.hawser.commands.internal.ClientTerminal;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.plugin.Daemon;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExecRequest;
import io.hawser.runtime.IOConfig;
import io.hawser.runtime.Process;
import io.hawser.runtime.Task;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser exec}: runs a command in a running container and exits with its status.
 *
 * <p>An exec'd process starts at once, before anyone can attach, so its output is taken from the
 * log file its shim writes, followed as it grows: nothing it prints first is lost. Input, when
 * asked for, goes through an attachment.
 */
@Component(property = Command.NAME_PROPERTY + "=exec")
public final class ExecCommand implements Command {

    private static final System.Logger LOG = System.getLogger(ExecCommand.class.getName());

    private final ContainerService containers;
    private final Path logs;

    @Activate
    public ExecCommand(@Reference ContainerService containers, @Reference Daemon daemon) {
        this.containers = containers;
        this.logs = daemon.state().resolve("exec-logs");
    }

    @Override
    public String summary() {
        return "run a command in a running container";
    }

    @Override
    public String usage() {
        return ExecOptions.USAGE;
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        ExecOptions options;
        try {
            options = ExecOptions.parse(args);
        } catch (CommandException e) {
            throw ExitCodes.usage(e, "exec", ExecOptions.USAGE);
        }
        ExitCodes.requireTerminal(options.tty(), options.interactive(), context);
        Task task;
        String spec;
        Optional<ClientTerminal.Size> size = Optional.empty();
        try {
            Container container = ContainerLookup.find(containers, options.container());
            task = ContainerLookup.running(containers, container, options.container());
            var terminal = ClientTerminal.of(context);
            if (options.tty() && terminal.isPresent()) {
                size = terminal.get().open(options.interactive(), RunCommand.SIZE_WAIT);
            }
            spec = ProcessSpecs.forExec(container.spec(), options, size, user -> containers.resolveUser(container.id(), user));
        } catch (IOException | CommandException e) {
            throw ExitCodes.daemon(e);
        }

        String execId = "exec-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Files.createDirectories(logs);
        Path log = logs.resolve(task.id() + "-" + execId + ".log");
        Process process;
        try {
            process = task.exec(new ExecRequest(execId, spec, new IOConfig.Log(log, options.interactive(), options.interactive(), options.tty())));
        } catch (IOException e) {
            Files.deleteIfExists(log);
            throw ExitCodes.startFailure(e);
        }
        try {
            int status = attach(context, options, process, log);
            cleanUp(process, log);
            return status;
        } catch (InterruptedException e) {
            // the client went away; the process runs on, and what it leaves is removed when it ends
            process.waitFor().whenComplete((exit, failure) -> Thread.ofVirtual().start(() -> cleanUp(process, log)));
            throw e;
        }
    }

    private int attach(CommandContext context, ExecOptions options, Process process, Path log) throws IOException, InterruptedException {
        ClientTerminal.of(context).filter(t -> options.tty()).ifPresent(t -> t.onResize(size -> RunCommand.resize(process, size)));
        if (!options.tty()) {
            RunCommand.forwardSignals(context, process);
        }
        Attachment attachment = null;
        if (options.interactive()) {
            attachment = process.attach();
            Pumps.discardOutput(attachment);
            Pumps.input(context.in(), attachment);
        }
        try (LogFile file = new LogFile(log)) {
            file.follow(process.waitFor(), entry -> {
                PrintStream to = entry.stream() == Attachment.Stream.STDERR ? context.err() : context.out();
                to.write(entry.output());
                to.flush();
            });
            return RunCommand.await(process.waitFor()).code();
        } finally {
            if (attachment != null) {
                attachment.close();
            }
        }
    }

    /** Releases the ended process in its shim and removes its log. */
    private static void cleanUp(Process process, Path log) {
        try {
            process.delete();
            Files.deleteIfExists(log);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cleaning up exec " + process.id() + " failed", e);
        }
    }
}
