package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.containers.Container;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.kernel.internal.gc.Root;
import io.hawser.kernel.internal.metadata.Metadata;

/**
 * Container records in the {@code containers} table of the metadata database. Besides what a
 * {@link Container} shows, a row keeps the target of the image it was created from (the garbage
 * collector's root, which must outlive an {@code rmi}) and whether the exit of its current task
 * was announced.
 *
 * <p>Names: a container created without one is named after its image's repository and the lowest
 * free number, {@code busybox-1}, {@code busybox-2}: short, readable in {@code ps} and easy to
 * type, unlike a hexadecimal fragment. Names chosen by users follow docker's rule.
 */
public class ContainerRecords {

    /** Docker's rule for container names, kept so names move between tools; bounded for display. */
    // long enough for kubelet's names: container, pod, namespace, uid and attempt joined by '_'
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,511}");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    private static final String COLUMNS = "id, name, image, runtime, snapshotter, snapshot_key, spec, log_path, "
            + "stdin, stdin_once, terminal, stop_signal, labels, created";

    private final Metadata metadata;
    private final Clock clock;

    public ContainerRecords(Metadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    /**
     * Checks a name a user chose.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming it when it breaks the rule
     */
    public static String checkName(String name) throws HawserException {
        if (!NAME.matcher(name).matches()) {
            throw HawserException.invalidArgument("container name '" + name
                    + "' is invalid: use 1 to 512 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        return name;
    }

    /**
     * Records a container. Its creation time is now, to the millisecond.
     *
     * @param container the record; an empty name asks for a generated one
     * @param image     the target of the image it is made from
     * @param nameBase  what a generated name starts with, itself a valid name
     * @return the record as stored, with its name and time
     * @throws HawserException {@code ALREADY_EXISTS} when the id or the name is taken
     */
    public Container insert(Container container, Descriptor image, String nameBase) throws IOException {
        Instant now = Instant.ofEpochMilli(clock.millis());
        return metadata.transaction(connection -> {
            if (select(connection, "id = ?", container.id()).isPresent()) {
                throw HawserException.alreadyExists("container " + container.id());
            }
            String name = container.name();
            if (name.isEmpty()) {
                name = freeName(connection, nameBase);
            } else if (select(connection, "name = ?", name).isPresent()) {
                throw HawserException.alreadyExists("container name " + name);
            }
            Container stored = new Container(container.id(), name, container.image(), container.runtime(),
                    container.snapshotter(), container.snapshotKey(), container.spec(), container.logPath(),
                    container.stdin(), container.stdinOnce(), container.terminal(), container.stopSignal(),
                    container.labels(), now);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO containers (" + COLUMNS
                    + ", image_digest, image_media_type, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, stored.id());
                insert.setString(2, stored.name());
                insert.setString(3, stored.image());
                insert.setString(4, stored.runtime());
                insert.setString(5, stored.snapshotter());
                insert.setString(6, stored.snapshotKey());
                insert.setString(7, stored.spec());
                insert.setString(8, stored.logPath().toString());
                insert.setBoolean(9, stored.stdin());
                insert.setBoolean(10, stored.stdinOnce());
                insert.setBoolean(11, stored.terminal());
                insert.setInt(12, stored.stopSignal());
                insert.setString(13, JSON.writeValueAsString(stored.labels()));
                insert.setLong(14, now.toEpochMilli());
                insert.setString(15, image.digest().toString());
                insert.setString(16, image.mediaType());
                insert.setLong(17, now.toEpochMilli());
                insert.executeUpdate();
            }
            return stored;
        });
    }

    /** The container with exactly this id. */
    public Optional<Container> get(String id) throws IOException {
        return metadata.transaction(connection -> select(connection, "id = ?", id));
    }

    /** The container with exactly this name. */
    public Optional<Container> byName(String name) throws IOException {
        return metadata.transaction(connection -> select(connection, "name = ?", name));
    }

    /**
     * The container with this id or name, or else the one whose id starts with it.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} when the prefix starts several ids
     */
    public Optional<Container> find(String idOrName) throws IOException {
        if (idOrName.isEmpty()) {
            return Optional.empty();
        }
        return metadata.transaction(connection -> {
            Optional<Container> exact = select(connection, "id = ?", idOrName);
            if (exact.isEmpty()) {
                exact = select(connection, "name = ?", idOrName);
            }
            if (exact.isPresent()) {
                return exact;
            }
            List<Container> matches = selectAll(connection, "substr(id, 1, length(?1)) = ?1", idOrName);
            if (matches.size() > 1) {
                throw HawserException.invalidArgument("'" + idOrName + "' is the start of " + matches.size()
                        + " container ids; give more of the id");
            }
            return matches.stream().findFirst();
        });
    }

    /** Every container, oldest first. */
    public List<Container> list() throws IOException {
        return metadata.transaction(connection -> selectAll(connection, null, null));
    }

    /** Deletes a record; no such record is not an error, as a removal may be retried. */
    public void delete(String id) throws IOException {
        metadata.transaction(connection -> update(connection, "DELETE FROM containers WHERE id = ?", id));
    }

    /** What happens to a container's task at most once and is announced once. */
    public enum Announcement {
        EXIT("exit_published"), OOM("oom_published");

        private final String column;

        Announcement(String column) {
            this.column = column;
        }
    }

    /**
     * Marks something that happened to the container's current task as announced, unless it
     * already was.
     *
     * @return whether the caller is the one to announce it (false as well when the record is gone)
     */
    public boolean claim(String id, Announcement announcement) throws IOException {
        // the column comes from the enum, never from input
        String sql = "UPDATE containers SET " + announcement.column + " = 1 WHERE id = ? AND " + announcement.column + " = 0";
        // not waiting for the disk: a power cut ends the task too, and at worst an event comes twice
        return metadata.transactionUnsynced(connection -> update(connection, sql, id) == 1);
    }

    /** Forgets what was announced, before the container gets a new task. */
    public void resetAnnouncements(String id) throws IOException {
        metadata.transactionUnsynced(connection -> update(connection,
                "UPDATE containers SET exit_published = 0, oom_published = 0 WHERE id = ?", id));
    }

    /** Whether a container or a pod sandbox with this id is recorded: a task with such an id is not an orphan. */
    public boolean owns(String id) throws IOException {
        return metadata.transaction(connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT 1 FROM containers WHERE id = ?1 UNION ALL SELECT 1 FROM sandboxes WHERE id = ?1")) {
                query.setString(1, id);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /** The targets of the images containers were created from, for the garbage collector to keep. */
    public List<Root> imageRoots() throws IOException {
        return metadata.transaction(connection -> {
            List<Root> roots = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT DISTINCT image_digest, image_media_type FROM containers WHERE image_digest IS NOT NULL");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    roots.add(new Root(Digest.parse(rows.getString(1)), rows.getString(2)));
                }
            }
            return roots;
        });
    }

    /** {@code <base>-<n>} with the lowest {@code n} from 1 that no container has. */
    private static String freeName(Connection connection, String base) throws SQLException {
        Set<String> taken = new HashSet<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT name FROM containers WHERE substr(name, 1, length(?1)) = ?1")) {
            query.setString(1, base + "-");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    taken.add(rows.getString(1));
                }
            }
        }
        for (int n = 1; ; n++) {
            String name = base + "-" + n;
            if (!taken.contains(name)) {
                return name;
            }
        }
    }

    private static int update(Connection connection, String sql, String id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, id);
            return statement.executeUpdate();
        }
    }

    private static Optional<Container> select(Connection connection, String where, String value) throws SQLException, IOException {
        return selectAll(connection, where, value).stream().findFirst();
    }

    /** The rows a condition with one parameter selects, oldest first; every row for a {@code null} condition. */
    private static List<Container> selectAll(Connection connection, String where, String value) throws SQLException, IOException {
        List<Container> containers = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM containers"
                + (where == null ? "" : " WHERE " + where) + " ORDER BY created, rowid")) {
            if (where != null) {
                query.setString(1, value);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    containers.add(container(rows));
                }
            }
        }
        return containers;
    }

    private static Container container(ResultSet row) throws SQLException, IOException {
        String labelsJson = row.getString(13);
        Map<String, String> labels;
        try {
            // most records have none, and a record is read several times per container start
            labels = labelsJson.equals("{}") ? Map.of() : JSON.readValue(labelsJson, LABELS);
        } catch (JsonProcessingException e) {
            throw new IOException("container " + row.getString(1) + " has malformed labels: " + e.getOriginalMessage(), e);
        }
        return new Container(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), Path.of(row.getString(8)), row.getBoolean(9), row.getBoolean(10),
                row.getBoolean(11), row.getInt(12), labels, Instant.ofEpochMilli(row.getLong(14)));
    }
}
