package io.hawser.sandboxes;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The sandbox records of the metadata database. Each call is one transaction, durable when it
 * returns.
 */
@ProviderType
public interface SandboxStore {

    /**
     * Records a new sandbox; {@code created} and {@code updated} are set to now.
     *
     * @return the record as stored
     * @throws io.hawser.errors.HawserException {@code ALREADY_EXISTS} when the id is taken
     */
    SandboxRecord create(String id, String runtime, String spec, Map<String, String> labels) throws IOException;

    /**
     * Replaces the specification of a sandbox and sets {@code updated} to now.
     *
     * @throws io.hawser.errors.HawserException {@code NOT_FOUND} when there is no such sandbox
     */
    SandboxRecord update(String id, String spec) throws IOException;

    /** The sandbox of this id, if recorded. */
    Optional<SandboxRecord> get(String id) throws IOException;

    /** Every sandbox, oldest first. */
    List<SandboxRecord> list() throws IOException;

    /**
     * Removes the record of a sandbox.
     *
     * @throws io.hawser.errors.HawserException {@code NOT_FOUND} when there is no such sandbox,
     *         {@code FAILED_PRECONDITION} while a container record still names it
     */
    void remove(String id) throws IOException;
}
