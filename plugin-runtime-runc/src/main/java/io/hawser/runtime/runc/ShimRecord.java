package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the runtime writes into a process's state directory so that a runtime started later (after
 * a daemon or plugin restart) can take the process up again. Written twice for a task: before its
 * root filesystem is mounted, with {@code conmonPid} 0, so an interrupted create can be undone;
 * and once conmon reports the process created. Written atomically (a rename), so a reader sees
 * one or the other.
 *
 * @param id            the task id
 * @param execId        the exec id, or the empty string for a task's init process
 * @param bundle        the OCI bundle (for an exec, its state directory, where conmon's sockets are)
 * @param rootfs        where the task's root filesystem was mounted, or {@code null} when the
 *                      runtime mounted nothing
 * @param logPath       the log file, or {@code null} when output is discarded
 * @param terminal      whether the process has a terminal
 * @param stdin         whether it has an input stream
 * @param stdinOnce     whether that closes with the first attached client
 * @param containerPid  the process's host pid, 0 until created
 * @param conmonPid     the pid of its conmon, 0 until created
 * @param conmonStartMillis when that conmon started, in milliseconds since the epoch (0 when not
 *                          known), to tell it from a process that reuses its pid
 */
record ShimRecord(String id, String execId, String bundle, String rootfs, String logPath, boolean terminal, boolean stdin,
        boolean stdinOnce, long containerPid, long conmonPid, long conmonStartMillis) {

    static final String FILE = "shim.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    boolean launched() {
        return conmonPid > 0;
    }

    ShimRecord launchedAs(ConmonContainer container) {
        long started = ProcessExit.stat(container.conmonPid()).map(ProcessExit.Stat::startMillis).orElse(0L);
        return new ShimRecord(id, execId, bundle, rootfs, logPath, terminal, stdin, stdinOnce, container.containerPid(),
                container.conmonPid(), started);
    }

    ConmonContainer container(Path stateDir) {
        return new ConmonContainer(id, stateDir, containerPid, conmonPid);
    }

    ConmonLaunch.Streams streams() {
        return new ConmonLaunch.Streams(logPath == null ? null : Path.of(logPath), terminal, stdin, stdinOnce);
    }

    /** Whether this record's conmon still runs: same pid and same start time. */
    boolean conmonAlive() {
        return ProcessExit.stat(conmonPid)
                .filter(stat -> conmonStartMillis == 0 || stat.startMillis() == 0 || stat.startMillis() == conmonStartMillis)
                .map(ProcessExit.Stat::running)
                .orElse(false);
    }

    void write(Path stateDir) throws IOException {
        Path temporary = stateDir.resolve(FILE + ".tmp");
        Files.write(temporary, JSON.writeValueAsBytes(this));
        Files.move(temporary, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<ShimRecord> read(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), ShimRecord.class));
    }
}
