package io.hawser.snapshots.metadata;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.hawser.errors.HawserException;
import io.hawser.snapshots.Kind;
import io.hawser.snapshots.SnapshotInfo;
import io.hawser.sqlite.SqliteDatabase;

/**
 * A snapshotter's own metadata, {@code <root>/metadata.db}: one row per snapshot, whose number
 * names the snapshot's storage, and its labels. Keys and names live only here, never in paths, so
 * any string is a valid key and a commit renames nothing on disk.
 *
 * <p>Each {@link #transaction} runs alone, and the snapshotter does its storage work (creating a
 * directory, snapshotting a subvolume) inside the transaction that records it: the rows and the
 * storage then change in step, a failed storage operation rolls the row back, and a crash leaves
 * at most storage that no row names, which the snapshotter's cleanup deletes.
 */
public final class SnapshotMetadata implements AutoCloseable {

    /** The database file's name in the snapshotter's root. */
    public static final String FILE_NAME = "metadata.db";

    /*
     * AUTOINCREMENT: a number is never handed out twice, so storage of a removed snapshot that
     * was not reclaimed yet can never be mistaken for a new snapshot's.
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

    private static final String SELECT_SNAPSHOTS = """
            SELECT s.id, s.name, s.kind, s.parent, p.name, s.created, s.updated
            FROM snapshots s LEFT JOIN snapshots p ON p.id = s.parent""";

    /**
     * One snapshot as stored.
     *
     * @param id       the number that names its storage
     * @param parentId its parent's number, 0 when it has none
     * @param info     what the snapshotter API reports
     */
    public record Snapshot(long id, long parentId, SnapshotInfo info) {}

    /** Work done in one transaction; it may refuse with an {@link IOException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Transaction transaction) throws SQLException, IOException;
    }

    private final SqliteDatabase database;

    /** Opens (creating if needed) the metadata file in a snapshotter's root directory. */
    public SnapshotMetadata(Path root) throws IOException {
        database = new SqliteDatabase(root.resolve(FILE_NAME), MIGRATIONS);
    }

    /**
     * Runs work in one transaction, committed when it returns and rolled back when it throws;
     * transactions run one at a time.
     *
     * @throws IOException the work's own refusal unchanged, or one wrapping a database failure
     */
    public <T> T transaction(Work<T> work) throws IOException {
        return database.transaction(connection -> work.run(new Transaction(connection)));
    }

    @Override
    public void close() throws IOException {
        database.close();
    }

    /** The operations available inside {@link #transaction}; each checks the rules it concerns. */
    public static final class Transaction {

        private final Connection connection;

        private Transaction(Connection connection) {
            this.connection = connection;
        }

        /** The snapshot with a key or name, if there is one. */
        public Optional<Snapshot> find(String key) throws SQLException {
            try (PreparedStatement select = connection.prepareStatement(SELECT_SNAPSHOTS + " WHERE s.name = ?")) {
                select.setString(1, key);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(snapshot(rows, labels(rows.getLong(1)))) : Optional.empty();
                }
            }
        }

        /**
         * The snapshot with a key or name.
         *
         * @throws HawserException {@code NOT_FOUND} when there is none
         */
        public Snapshot get(String key) throws SQLException, HawserException {
            return find(key).orElseThrow(() -> HawserException.notFound("snapshot " + key));
        }

        /** Every snapshot. */
        public List<Snapshot> all() throws SQLException {
            Map<Long, Map<String, String>> labels = new HashMap<>();
            try (Statement select = connection.createStatement();
                 ResultSet rows = select.executeQuery("SELECT snapshot, key, value FROM labels")) {
                while (rows.next()) {
                    labels.computeIfAbsent(rows.getLong(1), id -> new HashMap<>()).put(rows.getString(2), rows.getString(3));
                }
            }
            List<Snapshot> snapshots = new ArrayList<>();
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery(SELECT_SNAPSHOTS)) {
                while (rows.next()) {
                    snapshots.add(snapshot(rows, labels.getOrDefault(rows.getLong(1), Map.of())));
                }
            }
            return snapshots;
        }

        /** The numbers of every snapshot, that is of all the storage that should exist. */
        public Set<Long> ids() throws SQLException {
            Set<Long> ids = new HashSet<>();
            try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("SELECT id FROM snapshots")) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }

        /**
         * Records a new active snapshot or view after checking the rules of {@code prepare} and
         * {@code view}.
         *
         * @param parent the name of a committed snapshot, or empty for none
         * @return the new snapshot
         * @throws HawserException {@code INVALID_ARGUMENT} for an empty key, {@code ALREADY_EXISTS}
         *                         when the key is taken, {@code NOT_FOUND} for a missing parent,
         *                         {@code FAILED_PRECONDITION} for a parent that is not committed
         */
        public Snapshot insert(Kind kind, String key, String parent, Map<String, String> labels, Instant now)
                throws SQLException, HawserException {
            requireNotEmpty("key", key);
            if (find(key).isPresent()) {
                throw HawserException.alreadyExists("snapshot " + key);
            }
            long parentId = 0;
            if (!parent.isEmpty()) {
                Snapshot parentSnapshot = find(parent).orElseThrow(() -> HawserException.notFound("parent snapshot " + parent));
                if (parentSnapshot.info().kind() != Kind.COMMITTED) {
                    throw HawserException.failedPrecondition("parent snapshot " + parent + " is " + kindWord(parentSnapshot)
                            + "; only a committed snapshot can be a parent");
                }
                parentId = parentSnapshot.id();
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO snapshots (name, kind, parent, created, updated) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, key);
                insert.setString(2, kind.name());
                if (parentId == 0) {
                    insert.setNull(3, Types.INTEGER);
                } else {
                    insert.setLong(3, parentId);
                }
                insert.setString(4, now.toString());
                insert.setString(5, now.toString());
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
            }
            insertLabels(id, labels);
            return new Snapshot(id, parentId, new SnapshotInfo(kind, key, parent, labels, now, now));
        }

        /**
         * Turns an active snapshot into a committed one under a name, created now, keeping its
         * number and parent.
         *
         * @return the committed snapshot
         * @throws HawserException {@code INVALID_ARGUMENT} for an empty name, {@code NOT_FOUND}
         *                         when there is no such key, {@code FAILED_PRECONDITION} when it
         *                         is not active, {@code ALREADY_EXISTS} when another snapshot
         *                         has the name
         */
        public Snapshot commit(String name, String key, Map<String, String> labels, Instant now)
                throws SQLException, HawserException {
            requireNotEmpty("name", name);
            Snapshot active = get(key);
            if (active.info().kind() != Kind.ACTIVE) {
                throw HawserException.failedPrecondition("snapshot " + key + " is " + kindWord(active)
                        + "; only an active snapshot can be committed");
            }
            // the key itself may become the name: it stops naming an active snapshot in the same step
            if (find(name).filter(other -> other.id() != active.id()).isPresent()) {
                throw HawserException.alreadyExists("snapshot " + name);
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE snapshots SET name = ?, kind = 'COMMITTED', created = ?, updated = ? WHERE id = ?")) {
                update.setString(1, name);
                update.setString(2, now.toString());
                update.setString(3, now.toString());
                update.setLong(4, active.id());
                update.executeUpdate();
            }
            replaceLabels(active.id(), labels);
            return get(name);
        }

        /**
         * Replaces the labels of a snapshot and marks it updated now.
         *
         * @return the snapshot as it is after the update
         * @throws HawserException {@code NOT_FOUND} when there is no such snapshot
         */
        public SnapshotInfo updateLabels(String key, Map<String, String> labels, Instant now) throws SQLException, HawserException {
            long id = get(key).id();
            try (PreparedStatement update = connection.prepareStatement("UPDATE snapshots SET updated = ? WHERE id = ?")) {
                update.setString(1, now.toString());
                update.setLong(2, id);
                update.executeUpdate();
            }
            replaceLabels(id, labels);
            return get(key).info();
        }

        /**
         * Forgets a snapshot and its labels.
         *
         * @return the snapshot as it was, so the caller can delete its storage
         * @throws HawserException {@code NOT_FOUND} when there is no such snapshot,
         *                         {@code FAILED_PRECONDITION} when it is still a parent
         */
        public Snapshot remove(String key) throws SQLException, HawserException {
            Snapshot snapshot = get(key);
            try (PreparedStatement children = connection.prepareStatement("SELECT name FROM snapshots WHERE parent = ? LIMIT 1")) {
                children.setLong(1, snapshot.id());
                try (ResultSet child = children.executeQuery()) {
                    if (child.next()) {
                        throw HawserException.failedPrecondition("snapshot " + key + " is the parent of " + child.getString(1)
                                + "; remove its children first");
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM snapshots WHERE id = ?")) {
                delete.setLong(1, snapshot.id());
                delete.executeUpdate();
            }
            return snapshot;
        }

        /** The numbers of a snapshot's ancestors, nearest parent first; empty without parent. */
        public List<Long> ancestors(Snapshot snapshot) throws SQLException {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    WITH RECURSIVE chain (id, parent, depth) AS (
                      SELECT id, parent, 0 FROM snapshots WHERE id = ?
                      UNION ALL
                      SELECT s.id, s.parent, c.depth + 1 FROM snapshots s JOIN chain c ON s.id = c.parent)
                    SELECT id FROM chain ORDER BY depth""")) {
                select.setLong(1, snapshot.parentId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
            }
            return ids;
        }

        private Map<String, String> labels(long id) throws SQLException {
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

        private void replaceLabels(long id, Map<String, String> labels) throws SQLException {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM labels WHERE snapshot = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
            insertLabels(id, labels);
        }

        private void insertLabels(long id, Map<String, String> labels) throws SQLException {
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

        private static Snapshot snapshot(ResultSet row, Map<String, String> labels) throws SQLException {
            SnapshotInfo info = new SnapshotInfo(Kind.valueOf(row.getString(3)), row.getString(2), row.getString(5), labels,
                    instant(row.getString(6)), instant(row.getString(7)));
            return new Snapshot(row.getLong(1), row.getLong(4), info);
        }

        /**
         * A stored time, as {@link Instant#toString} wrote it. Its usual form, UTC with or without a
         * fraction of a second, is read by hand (anything else by {@link Instant#parse}): every
         * container start reads the times of its snapshot and the image's, and the JDK's general
         * parser was a noticeable part of that.
         */
        static Instant instant(String text) {
            // yyyy-mm-ddThh:mm:ssZ, or with a fraction of 1 to 9 digits after the seconds
            int length = text.length();
            int fraction = length - 21;
            if (length >= 20 && length <= 30 && length != 21 && text.charAt(4) == '-' && text.charAt(7) == '-'
                    && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                    && text.charAt(length - 1) == 'Z' && (length == 20 || text.charAt(19) == '.')) {
                int year = digits(text, 0, 4);
                int month = digits(text, 5, 7);
                int day = digits(text, 8, 10);
                int hour = digits(text, 11, 13);
                int minute = digits(text, 14, 16);
                int second = digits(text, 17, 19);
                int nanos = length == 20 ? 0 : digits(text, 20, length - 1);
                for (int i = fraction; nanos > 0 && i < 9; i++) {
                    nanos *= 10;
                }
                if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth()
                        && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nanos >= 0) {
                    long epochDay = LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
                }
            }
            return Instant.parse(text);
        }

        /** The decimal number in {@code text[from, to)}, or -1 when a character there is no digit. */
        private static int digits(String text, int from, int to) {
            int value = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }

        private static void requireNotEmpty(String what, String value) throws HawserException {
            if (value.isEmpty()) {
                throw HawserException.invalidArgument("snapshot " + what + " must not be empty");
            }
        }

        private static String kindWord(Snapshot snapshot) {
            return switch (snapshot.info().kind()) {
                case ACTIVE -> "active";
                case VIEW -> "a view";
                case COMMITTED -> "committed";
            };
        }
    }
}
