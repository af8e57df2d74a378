/**
 * Containers: the records of what to run, and the service that creates, runs and removes them.
 *
 * <p>A {@link io.hawser.containers.Container} is a record in the metadata store: the image it was
 * made from, its root filesystem snapshot, the runtime handler, the OCI runtime specification and
 * where its output is logged. Creating one prepares a writable snapshot from the image's layers
 * and generates the specification from the image configuration and the
 * {@link io.hawser.containers.ContainerConfig}; nothing runs yet. Its task (an
 * {@link io.hawser.runtime.Task}) is created through {@link io.hawser.containers.ContainerService}
 * from the record and lives until it is deleted, after its process ended; a container has at most
 * one task at a time. Removing a container removes its task, its snapshot and its record.
 *
 * <p>The service publishes {@code hawser/containers/*} and {@code hawser/tasks/*} events
 * ({@link io.hawser.events.Topics}) for everything it does and for exits it observes, including
 * exits that happened while the daemon was down, which it reports once after starting again.
 */
@Export
@Version("1.2.0")
package io.hawser.containers;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
