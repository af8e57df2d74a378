package io.hawser.plugin;

import java.util.Objects;

/**
 * What a plugin can do right now, and why not when it cannot.
 *
 * @param state  the state
 * @param reason why the plugin is not {@link State#OK}; empty when it is
 */
public record PluginStatus(State state, String reason) {

    /** The states a plugin can be in. */
    public enum State {
        /** Serving. */
        OK("ok"),
        /** The plugin's code exists but the capability is not built yet. */
        NOT_IMPLEMENTED("not implemented"),
        /** Something the plugin needs is missing or broken: the reason says what. */
        ERROR("error");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** How the state is printed ({@code ok}, {@code not implemented}, {@code error}). */
        public String label() {
            return label;
        }
    }

    /** A plugin that serves. */
    public static final PluginStatus OK = new PluginStatus(State.OK, "");

    public PluginStatus {
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        if (state != State.OK && reason.isBlank()) {
            throw new IllegalArgumentException("a plugin that is not ok must say why");
        }
    }

    /** A plugin whose underlying part is missing or failed. */
    public static PluginStatus error(String reason) {
        return new PluginStatus(State.ERROR, reason);
    }

    /** A plugin whose capability is not built yet. */
    public static PluginStatus notImplemented(String reason) {
        return new PluginStatus(State.NOT_IMPLEMENTED, reason);
    }
}
