/**
 * Pod sandboxes: the records a frontend keeps of the pods it set up.
 *
 * <p>A {@link io.hawser.sandboxes.SandboxRecord} is a row of the metadata database's
 * {@code sandboxes} table: the pod's id, its runtime handler, its labels and a specification the
 * frontend that made it owns (a JSON document the kernel stores whole and never reads). A record
 * outlives the daemon, so a frontend finds its pods again after a restart, crash included; and
 * while a record names an id, the container service treats a runtime task of that id as the pod's,
 * not as an orphan to kill.
 */
@Export
@Version("1.0.0")
package io.hawser.sandboxes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
