package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.hawser.commands.internal.ClientTerminal;
import io.hawser.commands.internal.images.ImageLookup;
import io.hawser.commands.internal.images.PullProgressPrinter;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.PullOptions;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.Task;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code hawser run}: pulls the image if it is missing, creates the container and its task, and
 * either prints the id ({@code -d}) or attaches before starting it, so not a byte of output is
 * missed, and exits with the container's exit status.
 */
@Component(property = Command.NAME_PROPERTY + "=run")
public final class RunCommand implements Command {

    private static final System.Logger LOG = System.getLogger(RunCommand.class.getName());

    /** How long the output may go on after the exit: the shim closes it right after, but a wedged one must not hang the client. */
    static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(5);

    /** How long to wait for the client's window size; it answers at once unless it is broken. */
    static final Duration SIZE_WAIT = Duration.ofSeconds(2);

    private final ContainerService containers;
    private final ImageService images;
    private final ImageStore store;

    @Activate
    public RunCommand(@Reference ContainerService containers, @Reference ImageService images, @Reference ImageStore store) {
        this.containers = containers;
        this.images = images;
        this.store = store;
    }

    @Override
    public String summary() {
        return "run a command in a new container (pulls the image if missing)";
    }

    @Override
    public String usage() {
        return RunOptions.USAGE;
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        RunOptions options;
        List<String> environment;
        try {
            options = RunOptions.parse(args);
            environment = options.environment(context);
        } catch (CommandException e) {
            throw ExitCodes.usage(e, "run", RunOptions.USAGE);
        }
        ExitCodes.requireTerminal(options.tty(), options.interactive(), context);
        Container container;
        try {
            container = containers.create(options.config(image(options, context), environment, context));
        } catch (IOException e) {
            throw ExitCodes.daemon(e);
        }
        return options.detach() ? runDetached(context, options, container) : runAttached(context, options, container);
    }

    /** The image as the store names it, pulled first when the store does not have it. */
    private String image(RunOptions options, CommandContext context) throws IOException {
        try {
            return ImageLookup.find(store, options.image()).name();
        } catch (HawserException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
        }
        // stdout belongs to the container: the pull reports on stderr, as docker's does
        context.err().println("Unable to find image '" + options.image() + "' locally");
        PullProgressPrinter progress = new PullProgressPrinter(context.err(), context.terminal(), context.columns());
        Image image = images.pull(options.image(),
                PullOptions.defaults().withUnpack(true, options.snapshotter() == null ? "" : options.snapshotter()).withProgress(progress));
        progress.finish();
        return image.name();
    }

    private int runDetached(CommandContext context, RunOptions options, Container container) throws Exception {
        Task task = createTask(container);
        try {
            task.start();
        } catch (IOException e) {
            discard(container);
            throw ExitCodes.startFailure(e);
        }
        if (options.rm()) {
            removeWhenExited(task, container);
        }
        context.out().println(container.id());
        return 0;
    }

    private int runAttached(CommandContext context, RunOptions options, Container container) throws Exception {
        Task task = createTask(container);
        Attachment attachment;
        try {
            attachment = task.attach();
        } catch (IOException e) {
            discard(container);
            throw ExitCodes.daemon(e);
        }
        try (attachment) {
            if (options.tty()) {
                openTerminal(context, options.interactive(), task);
            }
            Thread output = Pumps.output(attachment, context.out(), context.err());
            if (options.interactive()) {
                Pumps.input(context.in(), attachment);
            }
            try {
                task.start();
            } catch (IOException e) {
                attachment.close();
                discard(container);
                throw ExitCodes.startFailure(e);
            }
            if (!options.tty()) {
                forwardSignals(context, task);
            }
            ExitStatus status;
            try {
                status = await(task.waitFor());
                output.join(OUTPUT_AFTER_EXIT);
            } catch (InterruptedException e) {
                // the client went away: the container runs on, as after docker's detach, and --rm still removes it
                if (options.rm()) {
                    removeWhenExited(task, container);
                }
                throw e;
            }
            if (options.rm()) {
                attachment.close();
                containers.remove(container.id(), false);
            }
            return status.code();
        }
    }

    /** Creates the task; a container whose task cannot be created is removed again, so the failed run leaves nothing. */
    private Task createTask(Container container) throws CommandException {
        try {
            return containers.createTask(container.id());
        } catch (IOException e) {
            discard(container);
            throw ExitCodes.startFailure(e);
        }
    }

    /**
     * Gives the container's terminal the client's: raw mode when input is attached, the window
     * size before the process starts (so a shell's first prompt fits) and on every change.
     */
    static void openTerminal(CommandContext context, boolean raw, Process process) throws IOException, InterruptedException {
        var terminal = ClientTerminal.of(context);
        if (terminal.isPresent()) {
            terminal.get().onResize(size -> resize(process, size));
            terminal.get().open(raw, SIZE_WAIT);
        }
    }

    static void resize(Process process, ClientTerminal.Size size) {
        try {
            process.resizePty(size.columns(), size.rows());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "resizing the terminal of " + process.id() + " failed: " + e.getMessage());
        }
    }

    /**
     * Passes the client's Ctrl-C (and SIGTERM, SIGHUP) to the process, as docker's sig-proxy does
     * when there is no terminal; with one, Ctrl-C is a key the container's terminal turns into a
     * signal itself.
     */
    static void forwardSignals(CommandContext context, Process process) throws IOException {
        var terminal = ClientTerminal.of(context);
        if (terminal.isPresent()) {
            terminal.get().forwardSignals(signal -> {
                try {
                    process.kill(signal);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "passing signal " + signal + " to " + process.id() + " failed: " + e.getMessage());
                }
            });
        }
    }

    /** Waits for a process's exit. */
    static ExitStatus await(CompletionStage<ExitStatus> exit) throws IOException, InterruptedException {
        try {
            return exit.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IOException("waiting for the exit failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void removeWhenExited(Task task, Container container) {
        task.waitFor().whenComplete((status, failure) -> Thread.ofVirtual().name("rm-" + container.name()).start(() -> {
            try {
                containers.remove(container.id(), false);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "removing container " + container.name() + " after its exit failed", e);
            }
        }));
    }

    private void discard(Container container) {
        try {
            containers.remove(container.id(), true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "removing container " + container.name() + " after its failed start failed", e);
        }
    }
}
