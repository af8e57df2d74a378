package io.hawser.cri.streaming;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** The channel numbers of Kubernetes' WebSocket protocols and the sessions that use them. */
final class WebSocketSessions {

    static final int STDIN = 0;
    static final int STDOUT = 1;
    static final int STDERR = 2;
    static final int ERROR = 3;
    static final int RESIZE = 4;

    private static final System.Logger LOG = System.getLogger(WebSocketSessions.class.getName());

    private WebSocketSessions() {}

    /**
     * The channels of an exec or attach. An empty first message goes out on the first output
     * channel, as kubelet sends it: it tells clients the session is ready.
     */
    static RemoteCommandSession.Streams remoteCommandStreams(StreamRequest request, WebSocketChannels channels) {
        record Wanted(boolean tty, boolean stdin, boolean stdout, boolean stderr) {}
        Wanted wanted = switch (request) {
            case StreamRequest.Exec exec -> new Wanted(exec.tty(), exec.stdin(), exec.stdout(), exec.stderr());
            case StreamRequest.Attach attach -> new Wanted(attach.tty(), attach.stdin(), attach.stdout(), attach.stderr());
            case StreamRequest.PortForward _ -> throw new IllegalArgumentException("a port-forward request is no remote command");
        };
        RemoteCommandSession.Streams streams = new RemoteCommandSession.Streams(
                wanted.stdin() ? channels.input(STDIN) : null,
                wanted.stdout() ? channels.output(STDOUT) : null,
                wanted.stderr() ? channels.output(STDERR) : null,
                wanted.tty() ? channels.input(RESIZE) : null,
                channels.output(ERROR));
        ClientOutput first = streams.stdout() != null ? streams.stdout() : streams.stderr() != null ? streams.stderr() : streams.error();
        try {
            first.write(new byte[0], 0, 0);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "the client went during the handshake", e);
        }
        return streams;
    }

    /**
     * Forwards {@code ports} over the channel protocol's port-forward form: port {@code i} has
     * data channel {@code 2i} and error channel {@code 2i+1}, each starting with the port number
     * in two little-endian bytes. The connection closes when every port's forwarding has ended.
     *
     * @param inputs the data channels' inputs, registered with {@code channels}, one per port
     */
    static void startPortForward(StreamRequest.PortForward request, List<Integer> ports, List<ClientInput> inputs,
            WebSocketChannels channels, StreamingBackend backend, Executor threads) {
        PortForwarding forwarding = new PortForwarding(request, backend, channels, threads);
        AtomicInteger running = new AtomicInteger(ports.size());
        for (int i = 0; i < ports.size(); i++) {
            int port = ports.get(i);
            ClientInput fromClient = inputs.get(i);
            ClientOutput data = channels.output(2 * i);
            ClientOutput errors = channels.output(2 * i + 1);
            threads.execute(() -> {
                byte[] prefix = {(byte) port, (byte) (port >>> 8)};
                try {
                    data.write(prefix, 0, prefix.length);
                    errors.write(prefix, 0, prefix.length);
                    forwarding.forward(port, fromClient, data, errors);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "the client went during the handshake", e);
                } finally {
                    if (running.decrementAndGet() == 0) {
                        channels.close();
                    }
                }
            });
        }
    }
}
