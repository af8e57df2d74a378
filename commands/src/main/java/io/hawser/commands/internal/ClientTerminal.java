package io.hawser.commands.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The terminal of the client that runs a command, and the signals it receives, for commands that
 * give it a container's terminal ({@code run -it}, {@code exec -it}) or pass its Ctrl-C on to a
 * container. Only the CLI socket has one: the Gogo console runs inside the daemon, whose terminal
 * and signals are not the container's to take.
 */
public interface ClientTerminal {

    /** A window size in character cells. */
    record Size(int columns, int rows) {}

    /**
     * Tells the client that a terminal now runs and waits for it to report its window size.
     *
     * @param raw  whether the client puts its terminal in raw mode until the command ends, so
     *             every key goes to the container's terminal
     * @param wait how long to wait for the size; a client answers at once, so this only bounds a
     *             broken one
     * @return the size, empty when the client did not report one in time
     */
    Optional<Size> open(boolean raw, Duration wait) throws IOException, InterruptedException;

    /** Calls the listener with every size the client reports from now on (replacing an earlier listener). */
    void onResize(Consumer<Size> listener);

    /**
     * Asks the client to pass on the signals that would end it (SIGINT, SIGTERM, SIGHUP) instead
     * of dying of them, as docker's sig-proxy does.
     *
     * @param handler receives each signal's number
     */
    void forwardSignals(java.util.function.IntConsumer handler) throws IOException;

    /** The client's terminal, if the command's caller is a CLI client. */
    static Optional<ClientTerminal> of(io.hawser.frontend.CommandContext context) {
        return context instanceof StreamsContext streams ? Optional.ofNullable(streams.clientTerminal()) : Optional.empty();
    }
}
