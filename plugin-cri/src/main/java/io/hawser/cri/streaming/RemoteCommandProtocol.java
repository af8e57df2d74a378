package io.hawser.cri.streaming;

import java.util.List;

/**
 * The versions of Kubernetes' remote command protocol (exec and attach), by the name a client
 * asks for in {@code X-Stream-Protocol-Version} or as WebSocket subprotocol.
 */
enum RemoteCommandProtocol {
    /** v4 over WebSocket, plus a message with which the client ends its stdin. */
    V5("v5.channel.k8s.io", true),
    /** The exit status as a JSON {@code metav1.Status}, so the client learns the exit code. */
    V4("v4.channel.k8s.io", true),
    /** Adds the resize stream. */
    V3("v3.channel.k8s.io", false),
    V2("v2.channel.k8s.io", false),
    /** No negotiation: what a client that names no version gets. */
    V1("channel.k8s.io", false);

    /** Most preferred first; v5 exists only for WebSocket. */
    static final List<RemoteCommandProtocol> OVER_SPDY = List.of(V4, V3, V2, V1);
    static final List<RemoteCommandProtocol> OVER_WEBSOCKET = List.of(V5, V4, V1);

    final String wireName;
    /** Whether the error stream carries a JSON status rather than only a failure's message. */
    final boolean statusAsJson;

    RemoteCommandProtocol(String wireName, boolean statusAsJson) {
        this.wireName = wireName;
        this.statusAsJson = statusAsJson;
    }

    /** Whether a client opens a resize stream for a terminal (over SPDY; WebSocket always has the channel). */
    boolean resizes() {
        return compareTo(V3) <= 0;
    }

    static RemoteCommandProtocol named(String wireName) {
        for (RemoteCommandProtocol protocol : values()) {
            if (protocol.wireName.equals(wireName)) {
                return protocol;
            }
        }
        throw new IllegalArgumentException("not a remote command protocol: " + wireName);
    }
}
