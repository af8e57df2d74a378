package io.hawser.cri.streaming;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executor;

/**
 * Port-forward over SPDY: the client opens an error and a data stream per connection it forwards,
 * both carrying the same {@code requestID} and the {@code port}; once both are open the
 * connection to the pod is made.
 */
final class SpdyPortForward implements SpdySession {

    private record Pair(SpdyStream error, SpdyStream data) {
        Pair with(SpdyStream stream, boolean isError) {
            return isError ? new Pair(stream, data) : new Pair(error, stream);
        }
    }

    private final StreamRequest.PortForward request;
    private final StreamingBackend backend;
    private final Executor threads;
    private final Map<String, Pair> waiting = new HashMap<>();

    SpdyPortForward(StreamRequest.PortForward request, StreamingBackend backend, Executor threads) {
        this.request = request;
        this.backend = backend;
        this.threads = threads;
    }

    @Override
    public void streamOpened(SpdyConnection connection, SpdyStream stream) {
        String type = stream.header(SpdyConnection.STREAM_TYPE);
        String requestId = stream.header("requestid");
        boolean isError = "error".equals(type);
        if (requestId == null || !(isError || "data".equals(type))) {
            connection.refuse(stream);
            return;
        }
        Pair pair = waiting.getOrDefault(requestId, new Pair(null, null));
        if ((isError ? pair.error() : pair.data()) != null) {
            connection.refuse(stream);
            return;
        }
        pair = pair.with(stream, isError);
        if (pair.error() == null || pair.data() == null) {
            waiting.put(requestId, pair);
            return;
        }
        waiting.remove(requestId);
        SpdyStream error = pair.error();
        SpdyStream data = pair.data();
        String port = data.header("port");
        OptionalInt number = parsePort(port);
        if (number.isEmpty()) {
            threads.execute(() -> {
                PortForwarding.tell(error, "invalid port header " + (port == null ? "(missing)" : "\"" + port + "\"")
                        + ": a port is a number from 1 to 65535");
                error.close();
                data.close();
            });
            return;
        }
        PortForwarding forwarding = new PortForwarding(request, backend, connection, threads);
        threads.execute(() -> forwarding.forward(number.getAsInt(), data.input(), data, error));
    }

    /** The port, or empty when {@code header} is not a number from 1 to 65535. */
    static OptionalInt parsePort(String header) {
        if (header == null) {
            return OptionalInt.empty();
        }
        try {
            int port = Integer.parseInt(header.strip());
            return port >= 1 && port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
