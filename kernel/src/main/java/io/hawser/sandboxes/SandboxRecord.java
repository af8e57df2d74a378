package io.hawser.sandboxes;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A pod sandbox as recorded.
 *
 * @param id      unique id of the sandbox
 * @param runtime the runtime handler its containers run on
 * @param spec    the frontend's own description of the pod, a JSON document stored whole
 * @param labels  labels, for listing with filters
 * @param created when the record was created
 * @param updated when the record was last changed
 */
public record SandboxRecord(String id, String runtime, String spec, Map<String, String> labels,
                            Instant created, Instant updated) {

    public SandboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(spec, "spec");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(updated, "updated");
    }
}
