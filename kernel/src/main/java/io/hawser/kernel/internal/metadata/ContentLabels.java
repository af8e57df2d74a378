package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.hawser.content.Digest;

/**
 * The labels and times of committed blobs, rows of {@code content} and {@code content_labels}.
 * Whether a blob exists is decided by its file, never by these rows: a row may outlive its blob
 * (a crash between deleting the file and the row) and a blob may lack a row (a crash between
 * committing the file and writing the row); the content store copes with both.
 */
public class ContentLabels {

    /** The database's view of one blob. */
    public record BlobRecord(Map<String, String> labels, Instant created, Instant updated) {
        public BlobRecord {
            labels = Map.copyOf(labels);
        }
    }

    private final Metadata metadata;

    public ContentLabels(Metadata metadata) {
        this.metadata = metadata;
    }

    /** The record of one blob, if it has one. */
    public Optional<BlobRecord> get(Digest digest) throws IOException {
        return metadata.transaction(connection -> Optional.ofNullable(select(connection, digest.toString()).get(digest)));
    }

    /** The records of every blob that has one. */
    public Map<Digest, BlobRecord> all() throws IOException {
        return metadata.transaction(connection -> select(connection, null));
    }

    /**
     * Stores the labels and times of a blob, replacing whatever an earlier blob of the same digest
     * left behind.
     */
    public void put(Digest digest, BlobRecord record) throws IOException {
        metadata.transaction(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("""
                    INSERT INTO content (digest, created, updated) VALUES (?, ?, ?)
                    ON CONFLICT (digest) DO UPDATE SET created = excluded.created, updated = excluded.updated""")) {
                upsert.setString(1, digest.toString());
                upsert.setLong(2, record.created().toEpochMilli());
                upsert.setLong(3, record.updated().toEpochMilli());
                upsert.executeUpdate();
            }
            try (PreparedStatement clear = connection.prepareStatement("DELETE FROM content_labels WHERE digest = ?")) {
                clear.setString(1, digest.toString());
                clear.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO content_labels (digest, key, value) VALUES (?, ?, ?)")) {
                for (var label : record.labels().entrySet()) {
                    insert.setString(1, digest.toString());
                    insert.setString(2, label.getKey());
                    insert.setString(3, label.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /** Forgets a blob's record; its labels go with it. */
    public void remove(Digest digest) throws IOException {
        metadata.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM content WHERE digest = ?")) {
                delete.setString(1, digest.toString());
                delete.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Forgets the records of blobs not in a set, the blobs that exist.
     *
     * @return how many records were dropped
     */
    public int retainOnly(Set<Digest> existing) throws IOException {
        return metadata.transaction(connection -> {
            int dropped = 0;
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM content WHERE digest = ?")) {
                for (Digest recorded : select(connection, null).keySet()) {
                    if (!existing.contains(recorded)) {
                        delete.setString(1, recorded.toString());
                        dropped += delete.executeUpdate();
                    }
                }
            }
            return dropped;
        });
    }

    /** The records of one digest, or of all when {@code digest} is null. */
    private static Map<Digest, BlobRecord> select(Connection connection, String digest) throws SQLException {
        String where = digest == null ? "" : " WHERE digest = ?";
        Map<Digest, Map<String, String>> labels = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT digest, key, value FROM content_labels" + where)) {
            try (ResultSet rows = execute(query, digest)) {
                while (rows.next()) {
                    labels.computeIfAbsent(Digest.parse(rows.getString(1)), k -> new HashMap<>()).put(rows.getString(2), rows.getString(3));
                }
            }
        }
        Map<Digest, BlobRecord> records = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT digest, created, updated FROM content" + where)) {
            try (ResultSet rows = execute(query, digest)) {
                while (rows.next()) {
                    Digest key = Digest.parse(rows.getString(1));
                    records.put(key, new BlobRecord(labels.getOrDefault(key, Map.of()),
                            Instant.ofEpochMilli(rows.getLong(2)), Instant.ofEpochMilli(rows.getLong(3))));
                }
            }
        }
        return records;
    }

    private static ResultSet execute(PreparedStatement query, String digest) throws SQLException {
        if (digest != null) {
            query.setString(1, digest);
        }
        return query.executeQuery();
    }
}
