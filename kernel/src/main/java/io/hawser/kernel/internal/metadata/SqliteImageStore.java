package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hawser.content.Digest;
import io.hawser.errors.HawserException;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;

/**
 * Image records in the {@code images} table. Times are kept to the millisecond, so the records it
 * returns carry the times as stored, not the caller's.
 */
public class SqliteImageStore implements ImageStore {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
    private static final TypeReference<List<URI>> URIS = new TypeReference<>() {};
    private static final TypeReference<Platform> PLATFORM = new TypeReference<>() {};

    private static final String COLUMNS = "name, target_media_type, target_digest, target_size, target_annotations, "
            + "target_urls, target_platform, labels, created, updated";

    private final Metadata metadata;
    private final Clock clock;

    public SqliteImageStore(Metadata metadata, Clock clock) {
        this.metadata = metadata;
        this.clock = clock;
    }

    @Override
    public Optional<Image> get(String name) throws IOException {
        return metadata.transaction(connection -> select(connection, name));
    }

    @Override
    public List<Image> list(Predicate<? super Image> filter) throws IOException {
        List<Image> all = metadata.transaction(connection -> {
            List<Image> images = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM images ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    images.add(image(rows));
                }
            }
            return images;
        });
        // the filter is the caller's code: run it outside the transaction
        return all.stream().filter(filter).toList();
    }

    @Override
    public Image create(Image image) throws IOException {
        Instant now = now();
        Image stored = new Image(image.name(), image.target(), image.labels(), now, now);
        return metadata.transaction(connection -> {
            if (select(connection, image.name()).isPresent()) {
                throw HawserException.alreadyExists("image " + image.name());
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO images (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, stored);
                insert.executeUpdate();
            }
            return stored;
        });
    }

    @Override
    public Image update(Image image) throws IOException {
        return metadata.transaction(connection -> {
            Image current = select(connection, image.name())
                    .orElseThrow(() -> HawserException.notFound("image " + image.name()));
            Image stored = new Image(image.name(), image.target(), image.labels(), current.created(), now());
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE images SET name = ?, target_media_type = ?, target_digest = ?, target_size = ?,
                        target_annotations = ?, target_urls = ?, target_platform = ?, labels = ?, created = ?, updated = ?
                    WHERE name = ?""")) {
                bind(update, stored);
                update.setString(11, image.name());
                update.executeUpdate();
            }
            return stored;
        });
    }

    @Override
    public void delete(String name) throws IOException {
        metadata.deleteOne("DELETE FROM images WHERE name = ?", name, "image " + name);
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static Optional<Image> select(Connection connection, String name) throws SQLException, IOException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM images WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(image(rows)) : Optional.empty();
            }
        }
    }

    /** Binds the ten columns, in {@link #COLUMNS} order, as parameters 1 to 10. */
    private static void bind(PreparedStatement statement, Image image) throws SQLException, IOException {
        Descriptor target = image.target();
        statement.setString(1, image.name());
        statement.setString(2, target.mediaType());
        statement.setString(3, target.digest().toString());
        statement.setLong(4, target.size());
        statement.setString(5, Json.write(target.annotations()));
        statement.setString(6, Json.write(target.urls()));
        statement.setString(7, target.platform() == null ? null : Json.write(target.platform()));
        statement.setString(8, Json.write(image.labels()));
        statement.setLong(9, image.created().toEpochMilli());
        statement.setLong(10, image.updated().toEpochMilli());
    }

    private static Image image(ResultSet row) throws SQLException, IOException {
        String platform = row.getString(7);
        Descriptor target = new Descriptor(row.getString(2), Digest.parse(row.getString(3)), row.getLong(4),
                Json.read(row.getString(5), STRING_MAP), Json.read(row.getString(6), URIS),
                platform == null ? null : Json.read(platform, PLATFORM));
        return new Image(row.getString(1), target, Json.read(row.getString(8), STRING_MAP),
                Instant.ofEpochMilli(row.getLong(9)), Instant.ofEpochMilli(row.getLong(10)));
    }
}
