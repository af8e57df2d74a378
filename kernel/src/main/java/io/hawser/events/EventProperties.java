package io.hawser.events;

/**
 * The property keys of Hawser events, and the Java type of each value. Every event carries
 * {@link #ID} and {@link #TIMESTAMP}; the others appear where the topic's subject has them. Values
 * are strings, boxed numbers and booleans only, so events can be forwarded to remote clients
 * without knowing Hawser's types.
 */
public final class EventProperties {

    /**
     * The subject of the event ({@code String}): the container id for task and container events,
     * the image name, the snapshot key or name, the blob digest, the plugin id.
     */
    public static final String ID = "hawser.id";

    /** When the event happened, in milliseconds since the epoch ({@code Long}); Event Admin's own key. */
    public static final String TIMESTAMP = "timestamp";

    /** The container a task event concerns ({@code String}); equal to {@link #ID} for task events. */
    public static final String CONTAINER_ID = "hawser.container.id";

    /** The exec id for an event about an exec'd process ({@code String}); absent for the init process. */
    public static final String EXEC_ID = "hawser.exec.id";

    /** The host pid of the process ({@code Long}). */
    public static final String PID = "hawser.pid";

    /** The exit code of an ended process ({@code Integer}), as {@code io.hawser.runtime.ExitStatus#code}. */
    public static final String EXIT_STATUS = "hawser.exit.status";

    /** When the process ended, in nanoseconds since the epoch ({@code Long}), the precision CRI reports. */
    public static final String EXITED_AT = "hawser.exit.at";

    /** Whether the process was killed by the out-of-memory killer ({@code Boolean}). */
    public static final String OOM_KILLED = "hawser.exit.oom";

    /** The runtime handler of a task ({@code String}): {@code runc}, {@code kata}. */
    public static final String RUNTIME = "hawser.runtime";

    /** The snapshotter of a snapshot event ({@code String}). */
    public static final String SNAPSHOTTER = "hawser.snapshotter";

    /** The parent of a prepared or committed snapshot ({@code String}), absent when it has none. */
    public static final String PARENT = "hawser.snapshot.parent";

    /** For a commit, the key of the active snapshot that was committed ({@code String}). */
    public static final String KEY = "hawser.snapshot.key";

    /** The plugin type of a plugin event ({@code String}). */
    public static final String PLUGIN_TYPE = "hawser.plugin.type";

    /** Why a plugin became unavailable ({@code String}). */
    public static final String REASON = "hawser.reason";

    private EventProperties() {}
}
