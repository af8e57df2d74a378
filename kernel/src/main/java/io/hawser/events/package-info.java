/**
 * Events: what changed in the daemon, told to whoever listens.
 *
 * <p>The kernel and the plugins publish an event after each change of state that someone outside
 * the changing component may care about: a task started or exited, an image was recorded, a
 * snapshot committed, a plugin came or went. Events travel through OSGi Event Admin; this package
 * fixes only their {@link io.hawser.events.Topics topics} and
 * {@link io.hawser.events.EventProperties property keys}, so it needs no Event Admin classes and
 * publishers and subscribers agree without depending on each other.
 *
 * <h2>Guarantees</h2>
 * Events are published after the change is durable, asynchronously ({@code postEvent}), in order
 * per subject. They are notifications, not a log: a subscriber that was not running misses them
 * and must read current state from the services instead. A task's exit is the one event that
 * matters for correctness, and it is published again after a daemon restart for every exit found
 * in a shim's exit file and not yet published, so a subscriber may see it twice.
 *
 * <p>Subscribers are frontends (CRI's container event stream, the CLI's {@code hawser events})
 * and kernel services that react, such as the container service updating its record on
 * {@code hawser/tasks/exit}. Subscribe with the Event Admin {@code event.topics} service property,
 * using {@link io.hawser.events.Topics#all(String)} for a family.
 */
@Export
@Version("1.0.0")
package io.hawser.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
