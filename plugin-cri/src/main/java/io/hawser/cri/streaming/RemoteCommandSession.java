package io.hawser.cri.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.runtime.Attachment;
import io.hawser.runtime.ExitStatus;
import io.hawser.runtime.Process;
import io.hawser.runtime.Signals;

/**
 * One exec or attach: connects the client's streams to a process once they are all open, and
 * reports how it ended on the error stream. Runs on a platform thread of its own, since reading a
 * process's output blocks in native code; stdin and resizes get one more each.
 *
 * <p>An exec ends when the process's output ends, an attach when the container's does or the
 * client goes. A client that goes before its exec'd process ends takes the process with it, as
 * with containerd: nobody could read its output or learn its exit code any more.
 */
final class RemoteCommandSession implements Runnable {

    private static final System.Logger LOG = System.getLogger(RemoteCommandSession.class.getName());

    /**
     * The client's streams; null where the request did not ask for one.
     *
     * @param error  where the outcome goes; never null
     * @param resize terminal sizes as JSON objects, one after the other
     */
    record Streams(ClientInput stdin, ClientOutput stdout, ClientOutput stderr, ClientInput resize, ClientOutput error) {}

    private final StreamRequest request;
    private final StreamingBackend backend;
    private final RemoteCommandProtocol protocol;
    private final Streams streams;
    private final ClientConnection connection;
    private final Executor threads;
    private final AtomicBoolean clientGone = new AtomicBoolean();

    /** {@code request} is an {@link StreamRequest.Exec} or an {@link StreamRequest.Attach}. */
    RemoteCommandSession(StreamRequest request, StreamingBackend backend, RemoteCommandProtocol protocol,
            Streams streams, ClientConnection connection, Executor threads) {
        if (request instanceof StreamRequest.PortForward) {
            throw new IllegalArgumentException("a port-forward request is no remote command");
        }
        this.request = request;
        this.backend = backend;
        this.protocol = protocol;
        this.streams = streams;
        this.connection = connection;
        this.threads = threads;
    }

    @Override
    public void run() {
        connection.onClose(() -> clientGone.set(true));
        CommandOutcome outcome;
        try {
            outcome = serve();
        } catch (IOException | RuntimeException e) {
            outcome = new CommandOutcome.Failed("cannot " + describe() + ": " + e.getMessage());
        }
        closeQuietly(streams.stdout());
        closeQuietly(streams.stderr());
        if (!clientGone.get()) {
            try {
                byte[] status = outcome.encode(protocol);
                streams.error().write(status, 0, status.length);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "the client went before learning how its session ended", e);
            }
        }
        streams.error().close();
        connection.close();
    }

    private CommandOutcome serve() throws IOException {
        Process process = switch (request) {
            case StreamRequest.Exec exec -> backend.exec(exec.containerId(), exec.command(), exec.tty(), exec.stdin());
            case StreamRequest.Attach attach -> backend.attachTarget(attach.containerId());
            case StreamRequest.PortForward _ -> throw new IllegalStateException("checked in the constructor");
        };
        Attachment attached;
        try {
            attached = process.attach();
        } catch (IOException e) {
            // a short command may end before the attach: its output is lost but its exit code counts
            CompletableFuture<ExitStatus> exit = process.waitFor().toCompletableFuture();
            if (request instanceof StreamRequest.Exec && exit.isDone()) {
                return outcomeOf(exit.join());
            }
            throw e;
        }
        try (Attachment attachment = attached) {
            // closing the attachment is what ends a read blocked in native code
            connection.onClose(() -> closeQuietly(attachment));
            if (streams.stdin() != null) {
                threads.execute(() -> copyInput(attachment));
            }
            if (streams.resize() != null) {
                threads.execute(() -> applyResizes(process, streams.resize()));
            }
            copyOutput(attachment);
        }
        if (clientGone.get()) {
            if (request instanceof StreamRequest.Exec) {
                process.kill(Signals.SIGKILL);
            }
            return new CommandOutcome.Success();
        }
        if (request instanceof StreamRequest.Attach) {
            return new CommandOutcome.Success();
        }
        return outcomeOf(process.waitFor().toCompletableFuture().join());
    }

    private static CommandOutcome outcomeOf(ExitStatus exit) {
        return exit.success() ? new CommandOutcome.Success() : new CommandOutcome.NonZeroExit(exit.code());
    }

    private void copyOutput(Attachment attachment) throws IOException {
        for (Attachment.Chunk chunk = attachment.read(); chunk != null; chunk = attachment.read()) {
            ClientOutput target = switch (chunk.stream()) {
                case STDOUT -> streams.stdout();
                case STDERR -> streams.stderr();
            };
            if (target == null) {
                continue;
            }
            try {
                target.write(chunk.data(), 0, chunk.data().length);
            } catch (IOException e) {
                clientGone.set(true);
                return;
            }
        }
    }

    private void copyInput(Attachment attachment) {
        byte[] buffer = new byte[32 * 1024];
        try (InputStream stdin = streams.stdin()) {
            for (int read = stdin.read(buffer); read >= 0; read = stdin.read(buffer)) {
                attachment.write(buffer, 0, read);
            }
            // the shim decides what an attached client's end of input means: a stdinOnce container's
            // input ends with it (kubelet's attach of `kubectl run -i`), another's stays open for
            // later clients
            if (!clientGone.get()) {
                attachment.closeStdin();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "stopped passing input to " + describe(), e);
        }
    }

    private void applyResizes(Process process, InputStream sizes) {
        try (MappingIterator<JsonNode> messages = new ObjectMapper().readerFor(JsonNode.class).readValues(sizes)) {
            while (messages.hasNextValue()) {
                JsonNode size = messages.nextValue();
                int columns = size.path("Width").asInt();
                int rows = size.path("Height").asInt();
                if (columns > 0 && rows > 0) {
                    process.resizePty(columns, rows);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stopped resizing the terminal of " + describe(), e);
        }
    }

    private String describe() {
        return switch (request) {
            case StreamRequest.Exec exec -> "exec " + exec.command() + " in container " + exec.containerId();
            case StreamRequest.Attach attach -> "attach to container " + attach.containerId();
            case StreamRequest.PortForward _ -> throw new IllegalStateException("checked in the constructor");
        };
    }

    private static void closeQuietly(ClientOutput output) {
        if (output != null) {
            output.close();
        }
    }

    private static void closeQuietly(Attachment attachment) {
        try {
            attachment.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot detach", e);
        }
    }
}
