package io.hawser.cri.streaming;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Exec or attach over SPDY: waits until the client has opened the streams the request asked for
 * (one per stream type, named in the {@code streamType} header), then runs the session.
 */
final class SpdyRemoteCommand implements SpdySession {

    /** As kubelet's default: a client that has not opened its streams by then is not coming. */
    static final long STREAM_CREATION_SECONDS = 30;

    private static final System.Logger LOG = System.getLogger(SpdyRemoteCommand.class.getName());

    private enum StreamType { ERROR, STDIN, STDOUT, STDERR, RESIZE }

    private final StreamRequest request;
    private final StreamingBackend backend;
    private final RemoteCommandProtocol protocol;
    private final Executor threads;
    private final Map<StreamType, SpdyStream> opened = new EnumMap<>(StreamType.class);
    private final int expected;
    private boolean started;

    SpdyRemoteCommand(StreamRequest request, StreamingBackend backend, RemoteCommandProtocol protocol, Executor threads) {
        this.request = request;
        this.backend = backend;
        this.protocol = protocol;
        this.threads = threads;
        this.expected = switch (request) {
            case StreamRequest.Exec exec -> 1 + count(exec.stdin(), exec.stdout(), exec.stderr(), exec.tty() && protocol.resizes());
            case StreamRequest.Attach attach -> 1 + count(attach.stdin(), attach.stdout(), attach.stderr(), attach.tty() && protocol.resizes());
            case StreamRequest.PortForward _ -> throw new IllegalArgumentException("a port-forward request is no remote command");
        };
    }

    /** Gives the client {@link #STREAM_CREATION_SECONDS} to open its streams. */
    void awaitStreams(SpdyConnection connection, io.netty.util.concurrent.EventExecutor eventLoop) {
        eventLoop.schedule(() -> {
            if (!started) {
                LOG.log(System.Logger.Level.INFO, "closing a streaming connection whose client opened "
                        + opened.keySet() + " of " + expected + " streams in " + STREAM_CREATION_SECONDS + " s");
                connection.close();
            }
        }, STREAM_CREATION_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void streamOpened(SpdyConnection connection, SpdyStream stream) {
        StreamType type = typeOf(stream.header("streamtype"));
        if (started || type == null || opened.containsKey(type)) {
            connection.refuse(stream);
            return;
        }
        opened.put(type, stream);
        if (opened.size() == expected) {
            started = true;
            threads.execute(new RemoteCommandSession(request, backend, protocol, new RemoteCommandSession.Streams(
                    input(StreamType.STDIN), opened.get(StreamType.STDOUT), opened.get(StreamType.STDERR),
                    input(StreamType.RESIZE), opened.get(StreamType.ERROR)), connection, threads));
        }
    }

    private ClientInput input(StreamType type) {
        SpdyStream stream = opened.get(type);
        return stream == null ? null : stream.input();
    }

    private static StreamType typeOf(String header) {
        if (header == null) {
            return null;
        }
        return switch (header) {
            case "error" -> StreamType.ERROR;
            case "stdin" -> StreamType.STDIN;
            case "stdout" -> StreamType.STDOUT;
            case "stderr" -> StreamType.STDERR;
            case "resize" -> StreamType.RESIZE;
            default -> null;
        };
    }

    private static int count(boolean... wanted) {
        int count = 0;
        for (boolean one : wanted) {
            count += one ? 1 : 0;
        }
        return count;
    }
}
