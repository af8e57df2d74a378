/**
 * SQLite databases the way Hawser keeps metadata: the daemon's own {@code metadata.db} and the
 * private databases of plugins such as snapshotters, which keep their records beside their data so
 * that the plugin and its disk state can be removed together.
 *
 * <p>{@link io.hawser.sqlite.SqliteDatabase} opens a file in WAL mode with
 * {@code synchronous=FULL} and foreign keys enforced, brings its schema up to date from a list of
 * migrations, and runs work in transactions one at a time. Plugins use it through plain JDBC
 * ({@code java.sql}); the driver is the sqlite-jdbc bundle.
 */
@Export
@Version("1.0.0")
package io.hawser.sqlite;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
