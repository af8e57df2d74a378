package io.hawser.kernel.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataTest {

    @TempDir
    Path root;

    private static List<String> tables(Metadata metadata) throws IOException {
        return metadata.transaction(connection -> {
            List<String> names = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        });
    }

    private static String pragma(Metadata metadata, String name) throws IOException {
        return metadata.transaction(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
                rows.next();
                return rows.getString(1);
            }
        });
    }

    @Test
    void emptyDatabaseIsMigratedToTheCurrentSchema() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            assertEquals(Schema.MIGRATIONS.size(), metadata.schemaVersion());
            assertEquals(root.resolve("metadata.db"), metadata.file());
            assertEquals(List.of("containers", "content", "content_labels", "images", "lease_resources", "leases",
                    "sandboxes", "snapshots"), tables(metadata));
        }
    }

    @Test
    void databaseIsInWalModeWithFullSyncAndForeignKeys() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            assertEquals("wal", pragma(metadata, "journal_mode"));
            assertEquals("2", pragma(metadata, "synchronous"));
            assertEquals("1", pragma(metadata, "foreign_keys"));
        }
    }

    @Test
    void anUnsyncedTransactionCommitsAndLeavesFullSyncForTheNext() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            assertEquals("0", metadata.transactionUnsynced(connection -> {
                connection.createStatement().executeUpdate("INSERT INTO leases (id, created) VALUES ('light', 1)");
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("PRAGMA synchronous")) {
                    rows.next();
                    return rows.getString(1);
                }
            }));
            assertEquals("2", pragma(metadata, "synchronous"));
        }
        try (Metadata metadata = new Metadata(root)) {
            assertEquals(1, (int) metadata.transaction(connection -> {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery("SELECT count(*) FROM leases WHERE id = 'light'")) {
                    rows.next();
                    return rows.getInt(1);
                }
            }));
        }
    }

    @Test
    void reopeningKeepsVersionAndRows() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            metadata.transaction(connection -> connection.createStatement().executeUpdate(
                    "INSERT INTO leases (id, created) VALUES ('kept', 1)"));
        }
        try (Metadata metadata = new Metadata(root)) {
            assertEquals(Schema.MIGRATIONS.size(), metadata.schemaVersion());
            assertEquals("1", metadata.transaction(connection -> {
                try (ResultSet rows = connection.createStatement().executeQuery("SELECT count(*) FROM leases WHERE id = 'kept'")) {
                    rows.next();
                    return rows.getString(1);
                }
            }));
        }
    }

    @Test
    void containerRowsOfTheFirstSchemaAreNamedByTheirIdsAndNamesAreUnique() throws IOException {
        try (Metadata metadata = new Metadata(root, Schema.MIGRATIONS.subList(0, 1))) {
            metadata.transaction(connection -> connection.createStatement().executeUpdate(
                    "INSERT INTO containers (id, runtime, created, updated) VALUES ('old', 'runc', 1, 1)"));
        }
        try (Metadata metadata = new Metadata(root)) {
            assertEquals("old 15 0", metadata.transaction(connection -> {
                try (ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT name, stop_signal, exit_published FROM containers WHERE id = 'old'")) {
                    rows.next();
                    return rows.getString(1) + " " + rows.getInt(2) + " " + rows.getInt(3);
                }
            }));
            assertThrows(IOException.class, () -> metadata.transaction(connection -> connection.createStatement().executeUpdate(
                    "INSERT INTO containers (id, name, runtime, created, updated) VALUES ('new', 'old', 'runc', 1, 1)")));
        }
    }

    @Test
    void laterMigrationIsAppliedOnceOnOpen() throws IOException {
        new Metadata(root).close();
        List<List<String>> withSecond = new ArrayList<>(Schema.MIGRATIONS);
        withSecond.add(List.of("CREATE TABLE added_later (x INTEGER)"));
        try (Metadata metadata = new Metadata(root, withSecond)) {
            assertEquals(Schema.MIGRATIONS.size() + 1, metadata.schemaVersion());
            assertTrue(tables(metadata).contains("added_later"));
        }
        // applying it again would fail: the table exists
        try (Metadata metadata = new Metadata(root, withSecond)) {
            assertEquals(Schema.MIGRATIONS.size() + 1, metadata.schemaVersion());
        }
    }

    @Test
    void failedMigrationLeavesThePreviousVersion() throws IOException {
        new Metadata(root).close();
        List<List<String>> broken = new ArrayList<>(Schema.MIGRATIONS);
        broken.add(List.of("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL"));
        assertThrows(IOException.class, () -> new Metadata(root, broken));
        try (Metadata metadata = new Metadata(root)) {
            assertEquals(Schema.MIGRATIONS.size(), metadata.schemaVersion());
            assertFalse(tables(metadata).contains("half_done"));
        }
    }

    @Test
    void databaseFromANewerDaemonIsRefused() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            metadata.transaction(connection -> connection.createStatement().execute("PRAGMA user_version = 99"));
        }
        IOException refused = assertThrows(IOException.class, () -> new Metadata(root));
        assertTrue(refused.getMessage().contains("schema version 99"), refused.getMessage());
    }

    @Test
    void transactionRollsBackWhenTheWorkRefuses() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            HawserException refused = assertThrows(HawserException.class, () -> metadata.transaction(connection -> {
                connection.createStatement().executeUpdate("INSERT INTO leases (id, created) VALUES ('gone', 1)");
                throw HawserException.notFound("something");
            }));
            assertEquals(ErrorCode.NOT_FOUND, refused.code());
            assertEquals(List.of(), new Leases(metadata, Clock.systemUTC()).list());
        }
    }

    @Test
    void sqlFailureBecomesAnIOExceptionNamingTheFile() throws IOException {
        try (Metadata metadata = new Metadata(root)) {
            IOException failure = assertThrows(IOException.class, () -> metadata.transaction(connection -> {
                throw new SQLException("disk on fire");
            }));
            assertTrue(failure.getMessage().contains("metadata.db") && failure.getMessage().contains("disk on fire"));
        }
    }
}
