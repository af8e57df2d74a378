package io.hawser.kernel.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import io.hawser.kernel.internal.metadata.Metadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon root in a temporary directory with a real metadata database and a clock tests move:
 * what every test of a store built on the database starts from.
 */
public abstract class StoreTestBase {

    @TempDir
    protected Path root;

    protected final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    protected Metadata metadata;

    @BeforeEach
    final void openDatabase() throws IOException {
        metadata = new Metadata(root);
        openStores();
    }

    @AfterEach
    final void closeDatabase() throws IOException {
        metadata.close();
    }

    /** Builds the stores under test on {@link #metadata} and {@link #clock}. */
    protected abstract void openStores() throws IOException;

    /** Forgets every object, as a killed daemon would, and opens the same root again. */
    protected final void restart() throws IOException {
        metadata.close();
        openDatabase();
    }
}
