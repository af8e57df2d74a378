package io.hawser.containers;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.hawser.runtime.Ids;

/**
 * A container record.
 *
 * @param id          the id, 64 lowercase hexadecimal digits unless the creator chose one
 *                    ({@link Ids})
 * @param name        the unique name; generated when the creator gave none
 * @param image       the image reference it was created from, as recorded in the image store
 * @param runtime     the runtime handler that runs its task ({@code runc})
 * @param snapshotter the snapshotter holding its root filesystem
 * @param snapshotKey the key of its active snapshot in that snapshotter
 * @param spec        the OCI runtime specification, as the JSON text of {@code config.json}
 * @param logPath     the file its output is written to, in the CRI log format
 * @param stdin       whether its process gets an input stream (fed through attach)
 * @param stdinOnce   whether that input is closed when the first attached client detaches
 * @param terminal    whether its process gets a pseudo-terminal
 * @param stopSignal  the signal that asks it to stop, from the image configuration; {@code SIGTERM}
 *                    by default
 * @param labels      labels, the creator's and the image configuration's
 * @param createdAt   when the record was created
 */
public record Container(String id, String name, String image, String runtime, String snapshotter, String snapshotKey,
        String spec, Path logPath, boolean stdin, boolean stdinOnce, boolean terminal, int stopSignal,
        Map<String, String> labels, Instant createdAt) {

    public Container {
        Ids.check(id, "container id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(snapshotKey, "snapshotKey");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(logPath, "logPath");
        labels = Map.copyOf(labels);
        Objects.requireNonNull(createdAt, "createdAt");
        if (stdinOnce && !stdin) {
            throw new IllegalArgumentException("stdinOnce needs stdin");
        }
    }
}
