package io.hawser.cri;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.errors.HawserException;
import io.hawser.sandboxes.SandboxRecord;
import io.hawser.sandboxes.SandboxStore;

/** Sandbox records in memory, for tests of the CRI frontend without the kernel's database. */
final class MemorySandboxStore implements SandboxStore {

    private final Map<String, SandboxRecord> records = new LinkedHashMap<>();

    @Override
    public synchronized SandboxRecord create(String id, String runtime, String spec, Map<String, String> labels) throws IOException {
        if (records.containsKey(id)) {
            throw HawserException.alreadyExists("sandbox " + id);
        }
        Instant now = Instant.now();
        SandboxRecord record = new SandboxRecord(id, runtime, spec, labels, now, now);
        records.put(id, record);
        return record;
    }

    @Override
    public synchronized SandboxRecord update(String id, String spec) throws IOException {
        SandboxRecord old = get(id).orElseThrow(() -> HawserException.notFound("sandbox " + id));
        SandboxRecord record = new SandboxRecord(id, old.runtime(), spec, old.labels(), old.created(), Instant.now());
        records.put(id, record);
        return record;
    }

    @Override
    public synchronized Optional<SandboxRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized List<SandboxRecord> list() {
        return new ArrayList<>(records.values());
    }

    @Override
    public synchronized void remove(String id) throws IOException {
        if (records.remove(id) == null) {
            throw HawserException.notFound("sandbox " + id);
        }
    }
}
