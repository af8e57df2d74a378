package io.hawser.cri.streaming;

/** The connection a session runs over, whichever protocol it speaks. */
interface ClientConnection {

    /** Runs {@code action} once the connection has closed, at once if it has closed already. */
    void onClose(Runnable action);

    /** Ends the connection after what was written has been sent. */
    void close();
}
