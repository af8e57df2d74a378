package io.hawser.snapshotter.overlay;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hawser.errors.HawserException;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.sqlite.SqliteDatabase;

/**
 * The overlay snapshotter's own metadata, {@code <root>/metadata.db}: one row per snapshot whose
 * id names its directory, plus its labels.
 *
 * <p>Each method is one transaction, and transactions run one at a time; that also covers the
 * directory work a caller passes in, which is how directories and rows stay in step (see
 * {@link OverlaySnapshotter#cleanup()}).
 */
final class SnapshotDatabase implements AutoCloseable {

    static final String FILE_NAME = "metadata.db";

    /*
     * AUTOINCREMENT: an id is never handed out twice, so the directory of a removed snapshot that
     * cleanup has not reclaimed yet can never be mistaken for a new snapshot's.
     */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE snapshots (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              name TEXT NOT NULL UNIQUE,
              kind TEXT NOT NULL CHECK (kind IN ('ACTIVE', 'VIEW', 'COMMITTED')),
              parent INTEGER REFERENCES snapshots (id),
              created TEXT NOT NULL,
              updated TEXT NOT NULL)""",
            "CREATE INDEX snapshots_by_parent ON snapshots (parent)",
            """
            CREATE TABLE labels (
              snapshot INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
              key TEXT NOT NULL,
              value TEXT NOT NULL,
              PRIMARY KEY (snapshot, key))"""));

    private static final String SELECT_ROWS = """
            SELECT s.id, s.name, s.kind, s.parent, p.name, s.created, s.updated
            FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent""";

    /**
     * One snapshot as stored.
     *
     * @param id       its directory's name under {@code snapshots/}
     * @param parentId the parent's id, 0 when there is none
     */
    record Row(long id, long parentId, SnapshotInfo info) {}

    /** Directory work done inside a transaction, given the id of the snapshot it concerns. */
    @FunctionalInterface
    interface DirectoryWork {
        void run(long id) throws IOException;
    }

    private final SqliteDatabase database;

    /** Opens or creates the database in a directory and brings its tables up to date. */
    SnapshotDatabase(Path directory) throws IOException {
        database = new SqliteDatabase(directory.resolve(FILE_NAME), MIGRATIONS);
    }

    /**
     * Adds a snapshot after checking the rules of {@code prepare} and {@code view}, then runs the
     * directory work for its new id; the row is kept only when that succeeds.
     *
     * @return the new row and the ids of its ancestors, nearest first
     */
    Chain insert(Kind kind, String key, String parent, Map<String, String> labels, Instant now, DirectoryWork directories)
            throws IOException {
        return database.transaction(connection -> {
            if (find(connection, key) != null) {
                throw HawserException.alreadyExists("snapshot " + key);
            }
            long parentId = 0;
            if (!parent.isEmpty()) {
                Row parentRow = require(connection, parent);
                if (parentRow.info().kind() != Kind.COMMITTED) {
                    throw HawserException.failedPrecondition("snapshot " + parent + " is " + kindWord(parentRow)
                            + ", and only a committed snapshot can be a parent");
                }
                parentId = parentRow.id();
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO snapshots (name, kind, parent, created, updated) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, key);
                insert.setString(2, kind.name());
                if (parentId == 0) {
                    insert.setNull(3, Types.INTEGER);
                } else {
                    insert.setLong(3, parentId);
                }
                insert.setString(4, now.toString());
                insert.setString(5, now.toString());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            writeLabels(connection, id, labels);
            directories.run(id);
            return new Chain(require(connection, key), ancestors(connection, parentId));
        });
    }

    /** A snapshot with its ancestors' ids, nearest first: what its mounts are made of. */
    record Chain(Row row, List<Long> ancestors) {}

    /** A snapshot and its ancestors. */
    Chain chain(String name) throws IOException {
        return database.transaction(connection -> {
            Row row = require(connection, name);
            return new Chain(row, ancestors(connection, row.parentId()));
        });
    }

    /** A snapshot's row. */
    Row row(String name) throws IOException {
        return database.transaction(connection -> require(connection, name));
    }

    /** Replaces a snapshot's labels. */
    SnapshotInfo updateLabels(String name, Map<String, String> labels, Instant now) throws IOException {
        return database.transaction(connection -> {
            Row row = require(connection, name);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM labels WHERE snapshot = ?")) {
                delete.setLong(1, row.id());
                delete.executeUpdate();
            }
            writeLabels(connection, row.id(), labels);
            touch(connection, row.id(), "updated = ?", now);
            return require(connection, name).info();
        });
    }

    /** Turns an active snapshot into a committed one under a name, keeping its id and parent. */
    void commit(String name, String key, Map<String, String> labels, Instant now) throws IOException {
        database.transaction(connection -> {
            Row row = require(connection, key);
            if (row.info().kind() != Kind.ACTIVE) {
                throw HawserException.failedPrecondition("snapshot " + key + " is " + kindWord(row) + "; only an active snapshot can be committed");
            }
            if (find(connection, name) != null) {
                throw HawserException.alreadyExists("snapshot " + name);
            }
            try (PreparedStatement rename = connection.prepareStatement("UPDATE snapshots SET name = ?, kind = 'COMMITTED' WHERE id = ?")) {
                rename.setString(1, name);
                rename.setLong(2, row.id());
                rename.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM labels WHERE snapshot = ?")) {
                delete.setLong(1, row.id());
                delete.executeUpdate();
            }
            writeLabels(connection, row.id(), labels);
            touch(connection, row.id(), "created = ?, updated = ?", now, now);
            return null;
        });
    }

    /** Deletes a snapshot's row; refuses a committed snapshot that is still a parent. */
    void delete(String name) throws IOException {
        database.transaction(connection -> {
            Row row = require(connection, name);
            try (PreparedStatement children = connection.prepareStatement("SELECT name FROM snapshots WHERE parent = ? LIMIT 1")) {
                children.setLong(1, row.id());
                try (ResultSet child = children.executeQuery()) {
                    if (child.next()) {
                        throw HawserException.failedPrecondition("snapshot " + name + " is the parent of " + child.getString(1)
                                + "; remove its children first");
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM snapshots WHERE id = ?")) {
                delete.setLong(1, row.id());
                delete.executeUpdate();
            }
            return null;
        });
    }

    /** Every snapshot. */
    List<SnapshotInfo> all() throws IOException {
        return database.transaction(connection -> {
            Map<Long, Map<String, String>> labels = new HashMap<>();
            try (Statement select = connection.createStatement();
                 ResultSet rows = select.executeQuery("SELECT snapshot, key, value FROM labels")) {
                while (rows.next()) {
                    labels.computeIfAbsent(rows.getLong(1), id -> new HashMap<>()).put(rows.getString(2), rows.getString(3));
                }
            }
            List<SnapshotInfo> infos = new ArrayList<>();
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery(SELECT_ROWS)) {
                while (rows.next()) {
                    infos.add(row(rows, labels.getOrDefault(rows.getLong(1), Map.of())).info());
                }
            }
            return infos;
        });
    }

    /**
     * Runs directory work against the set of ids that have rows, under the lock, so no snapshot
     * is created or removed meanwhile.
     */
    void withIds(IdsWork work) throws IOException {
        database.transaction(connection -> {
            Set<Long> ids = new HashSet<>();
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("SELECT id FROM snapshots")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            work.run(ids);
            return null;
        });
    }

    /** Directory work given every id that has a row. */
    @FunctionalInterface
    interface IdsWork {
        void run(Set<Long> ids) throws IOException;
    }

    private static Row find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SELECT_ROWS + " WHERE s.name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                long id = rows.getLong(1);
                return row(rows, labels(connection, id));
            }
        }
    }

    private static Row require(Connection connection, String name) throws SQLException, HawserException {
        Row row = find(connection, name);
        if (row == null) {
            throw HawserException.notFound("snapshot " + name);
        }
        return row;
    }

    private static Row row(ResultSet rows, Map<String, String> labels) throws SQLException {
        SnapshotInfo info = new SnapshotInfo(Kind.valueOf(rows.getString(3)), rows.getString(2), rows.getString(5), labels,
                Instant.parse(rows.getString(6)), Instant.parse(rows.getString(7)));
        return new Row(rows.getLong(1), rows.getLong(4), info);
    }

    private static Map<String, String> labels(Connection connection, long id) throws SQLException {
        Map<String, String> labels = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT key, value FROM labels WHERE snapshot = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    labels.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return labels;
    }

    private static void writeLabels(Connection connection, long id, Map<String, String> labels) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO labels (snapshot, key, value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> label : labels.entrySet()) {
                insert.setLong(1, id);
                insert.setString(2, label.getKey());
                insert.setString(3, label.getValue());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void touch(Connection connection, long id, String assignments, Instant... times) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE snapshots SET " + assignments + " WHERE id = ?")) {
            for (int i = 0; i < times.length; i++) {
                update.setString(i + 1, times[i].toString());
            }
            update.setLong(times.length + 1, id);
            update.executeUpdate();
        }
    }

    /** The ids from a snapshot up its parent links, nearest first; empty for 0. */
    private static List<Long> ancestors(Connection connection, long id) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                WITH RECURSIVE chain (id, parent, depth) AS (
                  SELECT id, parent, 0 FROM snapshots WHERE id = ?
                  UNION ALL
                  SELECT s.id, s.parent, c.depth + 1 FROM snapshots s JOIN chain c ON s.id = c.parent)
                SELECT id FROM chain ORDER BY depth""")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static String kindWord(Row row) {
        return switch (row.info().kind()) {
            case ACTIVE -> "active";
            case VIEW -> "a view";
            case COMMITTED -> "committed";
        };
    }

    @Override
    public void close() throws IOException {
        database.close();
    }
}
