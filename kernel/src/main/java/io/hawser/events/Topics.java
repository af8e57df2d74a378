package io.hawser.events;

import java.util.Objects;

/**
 * The Event Admin topics Hawser publishes. Topics are grouped in families by their first two
 * levels ({@code hawser/tasks}); subscribe to a whole family with {@link #all(String)}.
 */
public final class Topics {

    /** Root of every Hawser topic. */
    public static final String ROOT = "hawser";

    /** Family of task and exec events. */
    public static final String TASKS = ROOT + "/tasks";
    /** A task was created; its init process has not started. */
    public static final String TASK_CREATE = TASKS + "/create";
    /** A task's init process started. */
    public static final String TASK_START = TASKS + "/start";
    /** A task's init process or an exec'd process ended; {@link EventProperties#EXEC_ID} tells which. */
    public static final String TASK_EXIT = TASKS + "/exit";
    /** A task was deleted. */
    public static final String TASK_DELETE = TASKS + "/delete";
    /** A process of the task was killed by the out-of-memory killer. */
    public static final String TASK_OOM = TASKS + "/oom";
    /** A task was frozen. */
    public static final String TASK_PAUSED = TASKS + "/paused";
    /** A task was thawed. */
    public static final String TASK_RESUMED = TASKS + "/resumed";
    /** A process was added to a task by exec. */
    public static final String TASK_EXEC_ADDED = TASKS + "/exec-added";
    /** An exec'd process started. */
    public static final String TASK_EXEC_STARTED = TASKS + "/exec-started";

    /** Family of container record events. */
    public static final String CONTAINERS = ROOT + "/containers";
    /** A container record was created. */
    public static final String CONTAINER_CREATE = CONTAINERS + "/create";
    /** A container record changed. */
    public static final String CONTAINER_UPDATE = CONTAINERS + "/update";
    /** A container record was deleted. */
    public static final String CONTAINER_DELETE = CONTAINERS + "/delete";

    /** Family of image record events. */
    public static final String IMAGES = ROOT + "/images";
    /** An image record was created. */
    public static final String IMAGE_CREATE = IMAGES + "/create";
    /** An image record now points to another target or has other labels. */
    public static final String IMAGE_UPDATE = IMAGES + "/update";
    /** An image record was deleted. */
    public static final String IMAGE_DELETE = IMAGES + "/delete";

    /** Family of snapshot events. */
    public static final String SNAPSHOTS = ROOT + "/snapshots";
    /** An active snapshot or a view was created. */
    public static final String SNAPSHOT_PREPARE = SNAPSHOTS + "/prepare";
    /** An active snapshot was committed. */
    public static final String SNAPSHOT_COMMIT = SNAPSHOTS + "/commit";
    /** A snapshot was removed. */
    public static final String SNAPSHOT_REMOVE = SNAPSHOTS + "/remove";

    /** Family of content store events. */
    public static final String CONTENT = ROOT + "/content";
    /** A blob was deleted, by request or by garbage collection. */
    public static final String CONTENT_DELETE = CONTENT + "/delete";

    /** Family of plugin events, so operators and frontends see plugins come and go while the daemon runs. */
    public static final String PLUGINS = ROOT + "/plugins";
    /** A plugin became available: its functional service is registered. */
    public static final String PLUGIN_AVAILABLE = PLUGINS + "/available";
    /** A plugin became unavailable: its bundle stopped or its status is no longer ok. */
    public static final String PLUGIN_UNAVAILABLE = PLUGINS + "/unavailable";

    private Topics() {}

    /**
     * The Event Admin subscription that matches every topic under a prefix:
     * {@code all(TASKS)} is {@code hawser/tasks/*}.
     */
    public static String all(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.endsWith("/") || prefix.contains("*")) {
            throw new IllegalArgumentException("topic prefix must be a topic without trailing '/' or '*': '" + prefix + "'");
        }
        return prefix + "/*";
    }

    /**
     * Whether a topic matches a subscription the way Event Admin matches them: {@code *} matches
     * every topic, {@code a/b/*} every topic below {@code a/b}, anything else only itself.
     * Frontends that forward events to remote clients filter with it.
     */
    public static boolean matches(String subscription, String topic) {
        if (subscription.equals("*")) {
            return true;
        }
        if (subscription.endsWith("/*")) {
            return topic.startsWith(subscription.substring(0, subscription.length() - 1));
        }
        return subscription.equals(topic);
    }
}
