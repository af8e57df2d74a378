package io.hawser.cri.streaming;

/** What a SPDY connection is for: it is told of each stream the client opens. */
interface SpdySession {

    /** Called on the connection's event loop; must not block. */
    void streamOpened(SpdyConnection connection, SpdyStream stream);
}
