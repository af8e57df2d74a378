package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hawser.errors.HawserException;

/**
 * Leases: named claims that keep resources alive through garbage collection while a longer
 * operation has not yet recorded what it made. A pull takes a lease, adds every blob and ingest to
 * it before writing them, creates the image record, then deletes the lease; a pull that dies
 * leaves the lease to expire.
 *
 * <p>A resource must be added to a lease before the caller relies on it existing (before it checks
 * for the blob or commits it), since a collection that ran just before the addition may have
 * removed it.
 */
public class Leases {

    /** What a lease can hold. */
    public enum Kind {
        /** A committed blob, by digest. */
        CONTENT("content"),
        /** An ingest, by ref. */
        INGEST("ingest"),
        /** A snapshot, as {@code <snapshotter>/<key>}. */
        SNAPSHOT("snapshot");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        static Kind of(String column) {
            for (Kind kind : values()) {
                if (kind.column.equals(column)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown lease resource kind " + column);
        }
    }

    /**
     * A lease.
     *
     * @param expires when it stops protecting anything, or {@code null} for never
     */
    public record Lease(String id, Map<String, String> labels, Instant created, Instant expires) {
        public Lease {
            Objects.requireNonNull(id, "id");
            labels = Map.copyOf(labels);
            Objects.requireNonNull(created, "created");
        }
    }

    /** One resource a lease holds. */
    public record Resource(Kind kind, String id) {
        public Resource {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
        }
    }

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private final Metadata metadata;
    private final Clock clock;

    public Leases(Metadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * Creates a lease.
     *
     * @param expires when it stops protecting, or {@code null} for a lease that lasts until deleted
     * @throws HawserException {@code ALREADY_EXISTS} when the id is taken
     */
    public Lease create(String id, Map<String, String> labels, Instant expires) throws IOException {
        if (id == null || id.isBlank()) {
            throw HawserException.invalidArgument("a lease needs an id that is not blank");
        }
        Lease lease = new Lease(id, labels, Instant.ofEpochMilli(clock.millis()), expires);
        return metadata.transaction(connection -> {
            if (exists(connection, id)) {
                throw HawserException.alreadyExists("lease " + id);
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO leases (id, labels, created, expires) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, Json.write(lease.labels()));
                insert.setLong(3, lease.created().toEpochMilli());
                if (expires == null) {
                    insert.setNull(4, Types.INTEGER);
                } else {
                    insert.setLong(4, expires.toEpochMilli());
                }
                insert.executeUpdate();
            }
            return lease;
        });
    }

    /**
     * Adds a resource to a lease; adding one it holds already changes nothing.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such lease
     */
    public void add(String leaseId, Resource resource) throws IOException {
        changeResource(leaseId, resource, "INSERT OR IGNORE INTO lease_resources (lease_id, kind, resource_id) VALUES (?, ?, ?)");
    }

    /**
     * Takes a resource out of a lease; one it does not hold is ignored.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such lease
     */
    public void remove(String leaseId, Resource resource) throws IOException {
        changeResource(leaseId, resource, "DELETE FROM lease_resources WHERE lease_id = ? AND kind = ? AND resource_id = ?");
    }

    private void changeResource(String leaseId, Resource resource, String sql) throws IOException {
        metadata.transaction(connection -> {
            if (!exists(connection, leaseId)) {
                throw HawserException.notFound("lease " + leaseId);
            }
            try (PreparedStatement change = connection.prepareStatement(sql)) {
                change.setString(1, leaseId);
                change.setString(2, resource.kind().column);
                change.setString(3, resource.id());
                change.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Deletes a lease; what it held is no longer protected by it.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such lease
     */
    public void delete(String id) throws IOException {
        metadata.deleteOne("DELETE FROM leases WHERE id = ?", id, "lease " + id);
    }

    /** Every lease, expired or not, ordered by id. */
    public List<Lease> list() throws IOException {
        return metadata.transaction(connection -> {
            List<Lease> leases = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT id, labels, created, expires FROM leases ORDER BY id");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long expiresMillis = rows.getLong(4);
                    Instant expires = rows.wasNull() ? null : Instant.ofEpochMilli(expiresMillis);
                    leases.add(new Lease(rows.getString(1), Json.read(rows.getString(2), LABELS),
                            Instant.ofEpochMilli(rows.getLong(3)), expires));
                }
            }
            return leases;
        });
    }

    /**
     * The resources a lease holds.
     *
     * @throws HawserException {@code NOT_FOUND} when there is no such lease
     */
    public List<Resource> resources(String leaseId) throws IOException {
        return metadata.transaction(connection -> {
            if (!exists(connection, leaseId)) {
                throw HawserException.notFound("lease " + leaseId);
            }
            List<Resource> resources = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT kind, resource_id FROM lease_resources WHERE lease_id = ? ORDER BY kind, resource_id")) {
                query.setString(1, leaseId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        resources.add(new Resource(Kind.of(rows.getString(1)), rows.getString(2)));
                    }
                }
            }
            return resources;
        });
    }

    /** The ids of the resources of one kind that leases not yet expired at {@code now} hold. */
    public Set<String> protectedIds(Kind kind, Instant now) throws IOException {
        return metadata.transaction(connection -> {
            Set<String> ids = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT DISTINCT r.resource_id FROM lease_resources r JOIN leases l ON l.id = r.lease_id
                    WHERE r.kind = ? AND (l.expires IS NULL OR l.expires > ?)""")) {
                query.setString(1, kind.column);
                query.setLong(2, now.toEpochMilli());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /**
     * Deletes the leases that expired at or before {@code now}.
     *
     * @return how many were deleted
     */
    public int deleteExpired(Instant now) throws IOException {
        return metadata.transaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM leases WHERE expires IS NOT NULL AND expires <= ?")) {
                delete.setLong(1, now.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    private static boolean exists(Connection connection, String id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM leases WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
