package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hawser.errors.HawserException;
import io.hawser.sandboxes.SandboxRecord;
import io.hawser.sandboxes.SandboxStore;

/** The {@code sandboxes} table of the metadata database. */
public class SqliteSandboxStore implements SandboxStore {

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() { };
    private static final String COLUMNS = "id, runtime, spec, labels, created, updated";

    private final Metadata metadata;
    private final Clock clock;

    public SqliteSandboxStore(Metadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public SandboxRecord create(String id, String runtime, String spec, Map<String, String> labels) throws IOException {
        Instant now = clock.instant();
        SandboxRecord record = new SandboxRecord(id, runtime, spec, labels, now, now);
        String labelsJson = Json.write(record.labels());
        return metadata.transaction(connection -> {
            if (select(connection, id).isPresent()) {
                throw HawserException.alreadyExists("sandbox " + id);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sandboxes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, runtime);
                insert.setString(3, spec);
                insert.setString(4, labelsJson);
                insert.setLong(5, now.toEpochMilli());
                insert.setLong(6, now.toEpochMilli());
                insert.executeUpdate();
            }
            return record;
        });
    }

    @Override
    public SandboxRecord update(String id, String spec) throws IOException {
        Instant now = clock.instant();
        return metadata.transaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE sandboxes SET spec = ?, updated = ? WHERE id = ?")) {
                update.setString(1, spec);
                update.setLong(2, now.toEpochMilli());
                update.setString(3, id);
                if (update.executeUpdate() == 0) {
                    throw HawserException.notFound("sandbox " + id);
                }
            }
            return select(connection, id).orElseThrow();
        });
    }

    @Override
    public Optional<SandboxRecord> get(String id) throws IOException {
        return metadata.transaction(connection -> select(connection, id));
    }

    @Override
    public List<SandboxRecord> list() throws IOException {
        return metadata.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM sandboxes ORDER BY created, id");
                 ResultSet rows = query.executeQuery()) {
                List<SandboxRecord> records = new ArrayList<>();
                while (rows.next()) {
                    records.add(record(rows));
                }
                return records;
            }
        });
    }

    @Override
    public void remove(String id) throws IOException {
        metadata.transaction(connection -> {
            try (PreparedStatement used = connection.prepareStatement("SELECT id FROM containers WHERE sandbox_id = ? LIMIT 1")) {
                used.setString(1, id);
                try (ResultSet rows = used.executeQuery()) {
                    if (rows.next()) {
                        throw HawserException.failedPrecondition("sandbox " + id + " still has container " + rows.getString(1));
                    }
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM sandboxes WHERE id = ?")) {
                delete.setString(1, id);
                if (delete.executeUpdate() == 0) {
                    throw HawserException.notFound("sandbox " + id);
                }
            }
            return null;
        });
    }

    private static Optional<SandboxRecord> select(Connection connection, String id) throws SQLException, IOException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM sandboxes WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(record(rows)) : Optional.empty();
            }
        }
    }

    private static SandboxRecord record(ResultSet rows) throws SQLException, IOException {
        return new SandboxRecord(rows.getString(1), rows.getString(2), rows.getString(3),
                Json.read(rows.getString(4), LABELS),
                Instant.ofEpochMilli(rows.getLong(5)), Instant.ofEpochMilli(rows.getLong(6)));
    }
}
