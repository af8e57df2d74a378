/**
 * The plugin registry: how snapshotters, runtimes and frontends announce themselves to the
 * kernel and to operators.
 *
 * <p>A plugin is a Declarative Services component in a plugin bundle. Its identity is a
 * <em>type</em> (a reverse-DNS, versioned name such as {@code io.hawser.snapshotter.v1}) and an
 * <em>id</em> unique within the type ({@code overlay}, {@code runc}, {@code cri}); both are
 * component properties declared with {@link io.hawser.plugin.HawserPlugin}, so the kernel knows
 * a plugin even when its component cannot be satisfied. Every plugin registers a
 * {@link io.hawser.plugin.Plugin} service that reports its live {@link io.hawser.plugin.PluginStatus};
 * the functional service it offers ({@code Snapshotter}, {@code Runtime}, …) is registered only
 * while the plugin can actually serve.
 *
 * <p>The kernel follows plugins dynamically: when a plugin bundle stops, its id becomes
 * unavailable and nothing else restarts; when it starts again, the id comes back.
 */
@Export
@Version("1.0.0")
package io.hawser.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
