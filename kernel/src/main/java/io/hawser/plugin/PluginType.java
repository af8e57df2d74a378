package io.hawser.plugin;

/**
 * The plugin types Hawser knows. Types are versioned: an incompatible change of the contract a
 * type stands for gets a new type name, so old and new plugins can be told apart.
 */
public final class PluginType {
    /** Snapshotters: turn layers into root filesystems ({@code io.hawser.snapshots.Snapshotter}). */
    public static final String SNAPSHOTTER = "io.hawser.snapshotter.v1";

    /** Runtimes: run tasks for one handler ({@code io.hawser.runtime.Runtime}). */
    public static final String RUNTIME = "io.hawser.runtime.v1";

    /** API frontends: CRI, the CLI socket ({@code io.hawser.frontend.Frontend}). */
    public static final String FRONTEND = "io.hawser.frontend.v1";

    private PluginType() {}
}
