package io.hawser.kernel.internal.metadata;

import java.util.List;

/**
 * The metadata schema as forward migrations: migration {@code n} (counting from one) takes a
 * database from {@code user_version n-1} to {@code n}. A released migration is never edited;
 * a change to the schema is a new migration appended to the list.
 *
 * <p>Times are epoch milliseconds. Labels and annotations of records that are read whole are JSON
 * objects; content labels get their own table because the garbage collector and {@code content
 * ls} filter on them.
 */
final class Schema {

    /** Migration 1: everything images and content need, and the tables later services fill. */
    private static final List<String> INITIAL = List.of(
            """
            CREATE TABLE content (
                digest  TEXT PRIMARY KEY,
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL
            )""",
            """
            CREATE TABLE content_labels (
                digest TEXT NOT NULL REFERENCES content(digest) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (digest, key)
            )""",
            """
            CREATE TABLE images (
                name               TEXT PRIMARY KEY,
                target_media_type  TEXT NOT NULL,
                target_digest      TEXT NOT NULL,
                target_size        INTEGER NOT NULL,
                target_annotations TEXT NOT NULL DEFAULT '{}',
                target_urls        TEXT NOT NULL DEFAULT '[]',
                target_platform    TEXT,
                labels             TEXT NOT NULL DEFAULT '{}',
                created            INTEGER NOT NULL,
                updated            INTEGER NOT NULL
            )""",
            "CREATE INDEX images_by_target ON images(target_digest)",
            """
            CREATE TABLE leases (
                id      TEXT PRIMARY KEY,
                labels  TEXT NOT NULL DEFAULT '{}',
                created INTEGER NOT NULL,
                expires INTEGER
            )""",
            """
            CREATE TABLE lease_resources (
                lease_id    TEXT NOT NULL REFERENCES leases(id) ON DELETE CASCADE,
                kind        TEXT NOT NULL CHECK (kind IN ('content', 'ingest', 'snapshot')),
                resource_id TEXT NOT NULL,
                PRIMARY KEY (lease_id, kind, resource_id)
            )""",
            "CREATE INDEX lease_resources_by_resource ON lease_resources(kind, resource_id)",
            """
            CREATE TABLE sandboxes (
                id      TEXT PRIMARY KEY,
                runtime TEXT NOT NULL,
                spec    TEXT NOT NULL DEFAULT '{}',
                labels  TEXT NOT NULL DEFAULT '{}',
                created INTEGER NOT NULL,
                updated INTEGER NOT NULL
            )""",
            """
            CREATE TABLE containers (
                id           TEXT PRIMARY KEY,
                image        TEXT,
                runtime      TEXT NOT NULL,
                sandbox_id   TEXT REFERENCES sandboxes(id),
                snapshotter  TEXT,
                snapshot_key TEXT,
                spec         TEXT NOT NULL DEFAULT '{}',
                labels       TEXT NOT NULL DEFAULT '{}',
                created      INTEGER NOT NULL,
                updated      INTEGER NOT NULL
            )""",
            """
            CREATE TABLE snapshots (
                snapshotter TEXT NOT NULL,
                key         TEXT NOT NULL,
                labels      TEXT NOT NULL DEFAULT '{}',
                created     INTEGER NOT NULL,
                PRIMARY KEY (snapshotter, key)
            )""");

    /**
     * Migration 2: what a container record needs beyond migration 1's columns. The name is unique
     * (rows from before, of which there are none in practice, are named by their id); the image's
     * target is kept so the garbage collector keeps a container's image content after {@code rmi};
     * {@code exit_published} and {@code oom_published} record that the exit or the first OOM kill of
     * the container's current task was announced, so what is seen again after a daemon restart is
     * announced once.
     */
    private static final List<String> CONTAINERS = List.of(
            "ALTER TABLE containers ADD COLUMN name TEXT",
            "UPDATE containers SET name = id",
            "CREATE UNIQUE INDEX containers_by_name ON containers(name)",
            "ALTER TABLE containers ADD COLUMN image_digest TEXT",
            "ALTER TABLE containers ADD COLUMN image_media_type TEXT",
            "ALTER TABLE containers ADD COLUMN log_path TEXT",
            "ALTER TABLE containers ADD COLUMN stdin INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE containers ADD COLUMN stdin_once INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE containers ADD COLUMN terminal INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE containers ADD COLUMN stop_signal INTEGER NOT NULL DEFAULT 15",
            "ALTER TABLE containers ADD COLUMN exit_published INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE containers ADD COLUMN oom_published INTEGER NOT NULL DEFAULT 0");

    /** All migrations in order; the schema version is this list's size. */
    static final List<List<String>> MIGRATIONS = List.of(INITIAL, CONTAINERS);

    private Schema() {}
}
