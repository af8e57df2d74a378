package io.hawser.cri.cni;

import java.io.IOException;

/**
 * A CNI plugin's refusal: its error code and message as the spec's error result carries them, and
 * the plugin and command that failed.
 */
public final class CniException extends IOException {

    private final int code;

    CniException(String plugin, String command, int code, String message) {
        super("CNI plugin " + plugin + " " + command + " failed" + (code > 0 ? " (code " + code + ")" : "") + ": " + message);
        this.code = code;
    }

    /** The CNI error code; 0 when the plugin gave none. */
    public int code() {
        return code;
    }
}
