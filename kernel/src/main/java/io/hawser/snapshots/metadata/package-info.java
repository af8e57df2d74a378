/**
 * The records a snapshotter keeps about its snapshots, shared by the snapshotter plugins:
 * {@link io.hawser.snapshots.metadata.SnapshotMetadata} stores key or name, kind, parent, labels
 * and times in a SQLite file beside the snapshots and enforces the lifecycle rules of
 * {@link io.hawser.snapshots}, so that a plugin only maps each snapshot's number to its own
 * storage (a directory, a subvolume) and does that storage work inside the transaction that
 * records it.
 */
@Export
@Version("1.0.0")
package io.hawser.snapshots.metadata;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
