package io.hawser.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.sqlite.SQLiteConfig;

/**
 * A SQLite database file in WAL mode with {@code synchronous=FULL}, so a transaction that has
 * returned survives a power cut. The schema is versioned with {@code PRAGMA user_version}: opening
 * applies the migrations the file has not seen yet, all in one transaction, so a crash during an
 * upgrade leaves the previous version intact, and a file newer than the code is refused.
 *
 * <p>One connection serves every caller, used by one transaction at a time. Hawser's transactions
 * are short (a few rows), and SQLite has a single writer anyway; serializing in the JVM turns what
 * would be {@code SQLITE_BUSY} retries into plain waiting.
 */
public class SqliteDatabase implements AutoCloseable {

    /** How long SQLite waits for a lock held by another process (a backup tool, the sqlite3 shell). */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    /** Work done inside a transaction; it may refuse with an {@link IOException}. */
    @FunctionalInterface
    public interface Transaction<T> {
        T run(Connection connection) throws SQLException, IOException;
    }

    /**
     * Opens (creating if needed) a database file and brings its schema up to date.
     *
     * @param file       the database file; its directory must exist
     * @param migrations the schema's versions in order, each a list of statements; version
     *                   {@code n} is reached by running the first {@code n}
     * @throws IOException when the file cannot be opened or a migration fails; the message names
     *                     the file
     */
    public SqliteDatabase(Path file, List<List<String>> migrations) throws IOException {
        this.file = file;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            this.connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new IOException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        try {
            migrate(migrations);
        } catch (IOException | RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** The schema version the file has now ({@code PRAGMA user_version}). */
    public int schemaVersion() throws IOException {
        return transaction(SqliteDatabase::userVersion);
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws. Calls
     * do not nest.
     *
     * @throws IOException the work's own refusal unchanged, or an IOException wrapping a database
     *                     failure
     */
    public <T> T transaction(Transaction<T> work) throws IOException {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackAfter(e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("database " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs work in one transaction committed without waiting for the disk: it survives a crash of
     * the daemon, since the operating system has it, but a power cut may undo it until a later
     * {@link #transaction} writes it out with its own. For what a power cut makes harmless to
     * lose, such as which events were published already (every task ends with the machine).
     */
    public <T> T transactionUnsynced(Transaction<T> work) throws IOException {
        lock.lock();
        try {
            synchronous("OFF");
            try {
                return transaction(work);
            } finally {
                synchronous("FULL");
            }
        } finally {
            lock.unlock();
        }
    }

    private void synchronous(String mode) throws IOException {
        try (Statement statement = connection.createStatement()) {
            // PRAGMA does not take parameters; the mode is one of two constants
            statement.execute("PRAGMA synchronous = " + mode);
        } catch (SQLException e) {
            throw new IOException("database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate(List<List<String>> migrations) throws IOException {
        transaction(connection -> {
            int version = userVersion(connection);
            if (version > migrations.size()) {
                throw new IOException("database " + file + " has schema version " + version
                        + ", newer than this code's " + migrations.size() + "; refusing to open it");
            }
            try (Statement statement = connection.createStatement()) {
                for (int next = version; next < migrations.size(); next++) {
                    for (String sql : migrations.get(next)) {
                        statement.execute(sql);
                    }
                }
                // PRAGMA does not take parameters; the value is an int we computed
                statement.execute("PRAGMA user_version = " + migrations.size());
            }
            return null;
        });
    }

    private static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             var rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    /** Rolls back after a failure; a failing rollback must not hide the failure that caused it. */
    private void rollbackAfter(Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            connection.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Closes the connection; a WAL checkpoint folds the log back into the database file. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("cannot close database " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
