package io.hawser.snapshotter.btrfs;

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import io.hawser.snapshots.Kind;
import io.hawser.snapshots.SnapshotInfo;
import org.sqlite.SQLiteConfig;

/**
 * The btrfs snapshotter's own metadata, {@code <root>/metadata.db}: one row per snapshot with the
 * number that names its subvolume directory, and its labels.
 *
 * <p>SQLite in WAL mode with {@code synchronous=FULL}, so a returned transaction survives a power
 * cut. One connection, used by one transaction at a time: the snapshotter runs its subvolume
 * operations inside the transaction that records them, so the lock also orders those.
 */
final class SnapshotStore implements AutoCloseable {

    static final String FILE_NAME = "metadata.db";

    /** How long SQLite waits for a lock held by another process, such as the sqlite3 shell. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    /**
     * The schema, applied to a new file, recorded as {@code PRAGMA user_version} 1. AUTOINCREMENT
     * keeps a deleted snapshot's number from being handed out again, so a subvolume whose removal
     * failed half-way can never be mistaken for a new snapshot's.
     */
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE snapshots (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL CHECK (kind IN ('ACTIVE', 'VIEW', 'COMMITTED')),
                parent_id INTEGER REFERENCES snapshots (id),
                created TEXT NOT NULL,
                updated TEXT NOT NULL)""",
            "CREATE INDEX snapshots_parent ON snapshots (parent_id)",
            """
            CREATE TABLE labels (
                snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (snapshot_id, key))""");

    private static final String SELECT_SNAPSHOTS = """
            SELECT s.id, s.name, s.kind, p.name, s.created, s.updated
            FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent_id""";

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * A snapshot and the number of its subvolume.
     *
     * @param id   the row id, which names the subvolume directory
     * @param info what the API reports
     */
    record Snapshot(long id, SnapshotInfo info) {}

    /** Work done in one transaction; it may refuse with an {@link IOException}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction transaction) throws SQLException, IOException;
    }

    /** Opens (creating if needed) the database file in a directory. */
    SnapshotStore(Path directory) throws IOException {
        this.file = directory.resolve(FILE_NAME);
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            this.connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new IOException("cannot open snapshot metadata " + file + ": " + e.getMessage(), e);
        }
        try {
            transaction(unused -> createSchema());
        } catch (IOException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Runs work in one transaction, committed when it returns and rolled back when it throws.
     *
     * @throws IOException the work's own refusal unchanged, or one wrapping a database failure
     */
    <T> T transaction(Work<T> work) throws IOException {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(new Transaction());
                connection.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("snapshot metadata " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close snapshot metadata " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Void createSchema() throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            int version;
            try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
                version = rows.next() ? rows.getInt(1) : 0;
            }
            if (version > 1) {
                throw new IOException("snapshot metadata has schema version " + version
                        + ", newer than this snapshotter's 1; refusing to open it");
            }
            if (version == 0) {
                for (String sql : SCHEMA) {
                    statement.execute(sql);
                }
                statement.execute("PRAGMA user_version = 1");
            }
        }
        return null;
    }

    /** The operations available inside {@link #transaction}. */
    final class Transaction {

        private Transaction() {}

        /** The snapshot with a key or name. */
        Optional<Snapshot> find(String name) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(SELECT_SNAPSHOTS + " WHERE s.name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    long id = rows.getLong(1);
                    return Optional.of(snapshot(rows, labels(id)));
                }
            }
        }

        /** Every snapshot. */
        List<Snapshot> all() throws SQLException {
            Map<Long, Map<String, String>> labels = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT snapshot_id, key, value FROM labels");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    labels.computeIfAbsent(rows.getLong(1), id -> new HashMap<>()).put(rows.getString(2), rows.getString(3));
                }
            }
            List<Snapshot> snapshots = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(SELECT_SNAPSHOTS);
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    snapshots.add(snapshot(rows, labels.getOrDefault(rows.getLong(1), Map.of())));
                }
            }
            return snapshots;
        }

        /** The numbers of every snapshot, that is of every subvolume that should exist. */
        Set<Long> ids() throws SQLException {
            Set<Long> ids = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM snapshots");
                 ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }

        /**
         * Records a new snapshot.
         *
         * @param parent the parent snapshot, or null for none
         * @return its number
         */
        long insert(String name, Kind kind, Snapshot parent, Map<String, String> labels, Instant now) throws SQLException {
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO snapshots (name, kind, parent_id, created, updated) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, name);
                insert.setString(2, kind.name());
                if (parent == null) {
                    insert.setNull(3, Types.INTEGER);
                } else {
                    insert.setLong(3, parent.id());
                }
                insert.setString(4, now.toString());
                insert.setString(5, now.toString());
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
            }
            insertLabels(id, labels);
            return id;
        }

        /** Whether any snapshot has this one as parent. */
        boolean hasChildren(long id) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM snapshots WHERE parent_id = ? LIMIT 1")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        }

        /** Turns an active snapshot into a committed one under a new name, created now. */
        void commit(long id, String name, Map<String, String> labels, Instant now) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE snapshots SET name = ?, kind = 'COMMITTED', created = ?, updated = ? WHERE id = ?")) {
                update.setString(1, name);
                update.setString(2, now.toString());
                update.setString(3, now.toString());
                update.setLong(4, id);
                update.executeUpdate();
            }
            replaceLabels(id, labels);
        }

        /** Replaces the labels of a snapshot and marks it updated now. */
        void updateLabels(long id, Map<String, String> labels, Instant now) throws SQLException {
            try (PreparedStatement update = connection.prepareStatement("UPDATE snapshots SET updated = ? WHERE id = ?")) {
                update.setString(1, now.toString());
                update.setLong(2, id);
                update.executeUpdate();
            }
            replaceLabels(id, labels);
        }

        /** Forgets a snapshot and its labels. */
        void delete(long id) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM snapshots WHERE id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
        }

        private Map<String, String> labels(long id) throws SQLException {
            Map<String, String> labels = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT key, value FROM labels WHERE snapshot_id = ?")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        labels.put(rows.getString(1), rows.getString(2));
                    }
                }
            }
            return labels;
        }

        private void replaceLabels(long id, Map<String, String> labels) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM labels WHERE snapshot_id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
            insertLabels(id, labels);
        }

        private void insertLabels(long id, Map<String, String> labels) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO labels (snapshot_id, key, value) VALUES (?, ?, ?)")) {
                for (Map.Entry<String, String> label : labels.entrySet()) {
                    insert.setLong(1, id);
                    insert.setString(2, label.getKey());
                    insert.setString(3, label.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        private Snapshot snapshot(ResultSet row, Map<String, String> labels) throws SQLException {
            return new Snapshot(row.getLong(1), new SnapshotInfo(Kind.valueOf(row.getString(3)), row.getString(2), row.getString(4),
                    labels, Instant.parse(row.getString(5)), Instant.parse(row.getString(6))));
        }
    }
}
