package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;

import io.hawser.errors.HawserException;
import io.hawser.sqlite.SqliteDatabase;

/**
 * The daemon's metadata database, {@code <root>/metadata.db}: image records, content labels,
 * leases, and later containers and sandboxes. Its schema is the {@link Schema} migrations.
 */
public class Metadata extends SqliteDatabase {

    /** The database file's name under the daemon root. */
    public static final String FILE_NAME = "metadata.db";

    /**
     * Opens (creating if needed) the database in a directory and brings its schema up to date.
     *
     * @throws IOException when the file cannot be opened or a migration fails; the message names
     *                     the file
     */
    public Metadata(Path directory) throws IOException {
        this(directory, Schema.MIGRATIONS);
    }

    /** Opens the database with an explicit list of migrations, so tests can add a later one. */
    Metadata(Path directory, List<List<String>> migrations) throws IOException {
        Files.createDirectories(directory);
        super(directory.resolve(FILE_NAME), migrations);
    }

    /**
     * Deletes the one row a statement with a single key parameter names.
     *
     * @param what the row as a noun phrase for the refusal, such as {@code "image x"}
     * @throws HawserException {@code NOT_FOUND} when there was no such row
     */
    void deleteOne(String deleteSql, String key, String what) throws IOException {
        transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(deleteSql)) {
                delete.setString(1, key);
                if (delete.executeUpdate() == 0) {
                    throw HawserException.notFound(what);
                }
            }
            return null;
        });
    }
}
