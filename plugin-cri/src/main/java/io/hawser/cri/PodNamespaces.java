package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.hawser.host.HostCommand;
import io.hawser.host.MountTable;

/**
 * The namespaces a pod's containers share, made without an infra container: util-linux's
 * {@code unshare} creates them and bind-mounts each ({@code nsfs}) onto a file of the pod's
 * directory, which keeps it alive with no process in it; containers then join the files. The same
 * short-lived helper sets the hostname inside the new UTS namespace.
 *
 * <p>Why a helper process: {@code unshare(2)} changes only the calling thread, and the daemon's
 * threads are pooled JVM threads that must never carry a pod's namespace into other work. A
 * helper that lives about 4 ms keeps that risk out of the daemon and needs no native binding in
 * this bundle.
 */
final class PodNamespaces {

    static final String NET = "netns";
    static final String IPC = "ipcns";
    static final String UTS = "utsns";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PodNamespaces() {}

    /**
     * Creates and pins the asked namespaces under {@code directory}, naming the UTS one's host
     * {@code hostname}. Nothing stays pinned when it fails.
     */
    static void create(Path directory, boolean net, boolean ipc, boolean uts, String hostname) throws IOException {
        List<String> command = new ArrayList<>(List.of("unshare"));
        List<Path> pins = new ArrayList<>();
        if (net) {
            command.add("--net=" + pin(directory.resolve(NET), pins));
        }
        if (ipc) {
            command.add("--ipc=" + pin(directory.resolve(IPC), pins));
        }
        if (uts) {
            command.add("--uts=" + pin(directory.resolve(UTS), pins));
            command.addAll(List.of("hostname", "--", hostname));
        } else {
            command.add("true");
        }
        if (pins.isEmpty()) {
            return;
        }
        try {
            HostCommand.run(TIMEOUT, command);
        } catch (IOException e) {
            try {
                remove(directory);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Path pin(Path file, List<Path> pins) throws IOException {
        // the bind mount needs a file to cover
        Files.deleteIfExists(file);
        Files.createFile(file);
        pins.add(file);
        return file;
    }

    /** The pinned namespace file of {@code kind} if the pod has one. */
    static boolean pinned(Path file) throws IOException {
        return MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().equals(file));
    }

    /**
     * Unpins the pod's namespaces and deletes their files; a namespace lives on while a process is
     * still inside. Safe to repeat.
     */
    static void remove(Path directory) throws IOException {
        for (String kind : List.of(NET, IPC, UTS)) {
            Path file = directory.resolve(kind);
            if (pinned(file)) {
                // lazy: a process opening the file right now must not make the pod's removal fail
                HostCommand.run(TIMEOUT, List.of("umount", "--lazy", file.toString()));
            }
            Files.deleteIfExists(file);
        }
    }
}
