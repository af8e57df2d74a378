package io.hawser.kernel.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.StoreTestBase;
import io.hawser.sandboxes.SandboxRecord;
import org.junit.jupiter.api.Test;

class SqliteSandboxStoreTest extends StoreTestBase {

    private SqliteSandboxStore sandboxes;

    @Override
    protected void openStores() {
        sandboxes = new SqliteSandboxStore(metadata, clock);
    }

    @Test
    void recordsAreCreatedUpdatedListedAndRemoved() throws IOException {
        SandboxRecord created = sandboxes.create("p1", "runc", "{\"state\":\"ready\"}", Map.of("app", "web"));
        assertEquals(Map.of("app", "web"), created.labels());
        sandboxes.create("p2", "runc", "{}", Map.of());
        assertEquals(ErrorCode.ALREADY_EXISTS,
                assertThrows(HawserException.class, () -> sandboxes.create("p1", "runc", "{}", Map.of())).code());

        SandboxRecord updated = sandboxes.update("p1", "{\"state\":\"notready\"}");
        assertEquals("{\"state\":\"notready\"}", updated.spec());
        assertEquals(created.created(), updated.created());
        assertEquals(updated, sandboxes.get("p1").orElseThrow());
        assertEquals(List.of("p1", "p2"), sandboxes.list().stream().map(SandboxRecord::id).toList());

        sandboxes.remove("p1");
        assertTrue(sandboxes.get("p1").isEmpty());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> sandboxes.remove("p1")).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(HawserException.class, () -> sandboxes.update("p1", "{}")).code());
    }
}
