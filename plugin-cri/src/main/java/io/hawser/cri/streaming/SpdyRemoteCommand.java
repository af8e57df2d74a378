package io.hawser.cri.streaming;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;

/**
 * Exec or attach over SPDY: waits until the client has opened the streams the request asked for
 * (one per stream type, named in the {@code streamType} header), then runs the session. A stream
 * of a type the request did not ask for is accepted and left unused, as kubelet does; what the
 * client sends on it is dropped.
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
    private final Set<StreamType> wanted = EnumSet.of(StreamType.ERROR);
    private boolean started;

    SpdyRemoteCommand(StreamRequest request, StreamingBackend backend, RemoteCommandProtocol protocol, Executor threads) {
        this.request = request;
        this.backend = backend;
        this.protocol = protocol;
        this.threads = threads;
        record Asked(boolean tty, boolean stdin, boolean stdout, boolean stderr) {}
        Asked asked = switch (request) {
            case StreamRequest.Exec exec -> new Asked(exec.tty(), exec.stdin(), exec.stdout(), exec.stderr());
            case StreamRequest.Attach attach -> new Asked(attach.tty(), attach.stdin(), attach.stdout(), attach.stderr());
            case StreamRequest.PortForward _ -> throw new IllegalArgumentException("a port-forward request is no remote command");
        };
        if (asked.stdin()) {
            wanted.add(StreamType.STDIN);
        }
        if (asked.stdout()) {
            wanted.add(StreamType.STDOUT);
        }
        if (asked.stderr()) {
            wanted.add(StreamType.STDERR);
        }
        if (asked.tty() && protocol.resizes()) {
            wanted.add(StreamType.RESIZE);
        }
    }

    /** Gives the client {@link #STREAM_CREATION_SECONDS} to open its streams. */
    void awaitStreams(SpdyConnection connection, EventExecutor eventLoop) {
        eventLoop.schedule(() -> {
            if (!started) {
                LOG.log(System.Logger.Level.INFO, "closing a streaming connection whose client opened "
                        + opened.keySet() + " of the streams " + wanted + " in " + STREAM_CREATION_SECONDS + " s");
                connection.close();
            }
        }, STREAM_CREATION_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void streamOpened(SpdyConnection connection, SpdyStream stream) {
        StreamType type = typeOf(stream.header(SpdyConnection.STREAM_TYPE));
        if (type == null || opened.containsKey(type)) {
            connection.refuse(stream);
            return;
        }
        opened.put(type, stream);
        if (!wanted.contains(type)) {
            stream.input().end();
        }
        if (!started && opened.keySet().containsAll(wanted)) {
            started = true;
            threads.execute(new RemoteCommandSession(request, backend, protocol, new RemoteCommandSession.Streams(
                    input(StreamType.STDIN), output(StreamType.STDOUT), output(StreamType.STDERR),
                    input(StreamType.RESIZE), output(StreamType.ERROR)), connection, threads));
        }
    }

    private ClientOutput output(StreamType type) {
        return wanted.contains(type) ? opened.get(type) : null;
    }

    private ClientInput input(StreamType type) {
        return wanted.contains(type) ? opened.get(type).input() : null;
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
}
