package io.hawser.cri;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.hawser.errors.HawserException;
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
    static final String PID = "pidns";
    /** The pid of the pause process's {@code unshare}, for a pod whose containers share one PID namespace. */
    static final String PAUSE_PID = "pause.pid";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The kernel.* sysctls that belong to an IPC namespace (ipc_namespaces(7)). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel/msgmax", "kernel/msgmnb", "kernel/msgmni",
            "kernel/sem", "kernel/shmall", "kernel/shmmax", "kernel/shmmni", "kernel/shm_rmid_forced");

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

    /**
     * Starts the pod's pause process and pins its PID namespace, for a pod whose containers share
     * one: a PID namespace cannot outlive its init, so unlike the others it needs a process.
     * {@code unshare --pid --fork} makes {@code pause} (catatonit, which reaps orphans as an init
     * must) pid 1 of a new namespace and kills it when it dies itself; the namespace file pinned is
     * {@code unshare}'s {@code pid_for_children}. The process is in a session of its own, so it
     * outlives the daemon; its pid is kept in {@value #PAUSE_PID}.
     */
    static void startPause(Path directory, Path pause) throws IOException {
        if (!Files.isExecutable(pause)) {
            throw HawserException.failedPrecondition("a pod sharing one PID namespace needs the pause program " + pause
                    + " (Debian package catatonit), which is not there");
        }
        java.lang.Process unshare = new ProcessBuilder("setsid", "unshare", "--pid", "--fork", "--kill-child",
                pause.toString(), "-P")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long pid = unshare.pid();
        try {
            Files.writeString(directory.resolve(PAUSE_PID), pid + "\n");
            Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            // the namespace has its init once unshare has forked it
            while (!Files.exists(children) || Files.readString(children).isBlank()) {
                if (!unshare.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the pause process of pod directory " + directory + " did not start");
                }
                Thread.sleep(1);
            }
            Path file = pin(directory.resolve(PID), new ArrayList<>());
            HostCommand.run(TIMEOUT, List.of("mount", "--bind", "/proc/" + pid + "/ns/pid_for_children", file.toString()));
        } catch (IOException | InterruptedException e) {
            stopPause(directory);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while starting the pause process");
            }
            throw (IOException) e;
        }
    }

    /**
     * Kills the pod's pause process, if it runs, which ends every process in the pod's PID
     * namespace. Safe to repeat and after a restart: the pid kept is checked to still be that
     * pause process's {@code unshare}.
     */
    static void stopPause(Path directory) throws IOException {
        Path pidFile = directory.resolve(PAUSE_PID);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Optional<ProcessHandle> unshare = ProcessHandle.of(pid)
                .filter(handle -> handle.info().commandLine().orElse("").contains("unshare --pid --fork --kill-child"));
        if (unshare.isPresent()) {
            // the pause process first: unshare's --kill-child takes it along only once the child
            // has armed it, which a pod torn down right after it started may not have waited for
            Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
            String childPids = Files.exists(children) ? Files.readString(children).strip() : "";
            for (String child : childPids.isEmpty() ? new String[0] : childPids.split("\\s+")) {
                ProcessHandle.of(Long.parseLong(child)).ifPresent(ProcessHandle::destroyForcibly);
            }
            unshare.get().destroyForcibly();
        }
        Files.delete(pidFile);
    }

    /**
     * Sets the pod's sysctls inside its pinned namespaces. Only namespaced sysctls can belong to a
     * pod: {@code net.*} to its network namespace, the System V IPC and POSIX queue ones to its IPC
     * namespace; anything else would change the host for every pod, so it is refused, as is a
     * namespaced one whose namespace the pod shares with the host.
     *
     * @param sysctls names with {@code .} or {@code /} separators, as the CRI passes them
     */
    static void applySysctls(Path directory, Map<String, String> sysctls) throws IOException {
        if (sysctls.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("nsenter"));
        boolean net = false;
        boolean ipc = false;
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> sysctl : new TreeMap<>(sysctls).entrySet()) {
            String key = sysctl.getKey();
            // with a slash in it the name uses slashes, and its dots belong to a component (eth0.100)
            String path = key.contains("/") ? key : key.replace('.', '/');
            String value = sysctl.getValue();
            if (path.isEmpty() || path.startsWith("/") || List.of(path.split("/")).contains("..") || value.contains("\n")) {
                throw HawserException.invalidArgument("sysctl " + key + "=" + value + " is malformed");
            }
            if (path.startsWith("net/")) {
                net = true;
            } else if (IPC_SYSCTLS.contains(path) || path.startsWith("fs/mqueue/")) {
                ipc = true;
            } else {
                throw HawserException.invalidArgument("sysctl " + key + " is not namespaced: a pod cannot set it");
            }
            pairs.add("/proc/sys/" + path);
            pairs.add(value);
        }
        if (net) {
            command.add("--net=" + existing(directory.resolve(NET), "net.* sysctls need the pod's own network namespace"));
        }
        if (ipc) {
            command.add("--ipc=" + existing(directory.resolve(IPC), "IPC sysctls need the pod's own IPC namespace"));
        }
        // the pairs are arguments, never part of the script: nothing in them is interpreted by the shell
        command.addAll(List.of("sh", "-c", "while [ $# -gt 0 ]; do printf '%s' \"$2\" > \"$1\" || exit 1; shift 2; done", "sysctls"));
        command.addAll(pairs);
        HostCommand.run(TIMEOUT, command);
    }

    private static Path existing(Path file, String refusal) throws IOException {
        if (!Files.exists(file)) {
            throw HawserException.invalidArgument(refusal);
        }
        return file;
    }

    /** Whether a file has a mount on it: a pinned namespace. */
    private static boolean pinned(Path file) throws IOException {
        return MountTable.current().mounts().stream().anyMatch(m -> m.mountPoint().equals(file));
    }

    /**
     * Unpins the pod's namespaces and deletes their files; a namespace lives on while a process is
     * still inside. Safe to repeat.
     */
    static void remove(Path directory) throws IOException {
        stopPause(directory);
        for (String kind : List.of(NET, IPC, UTS, PID)) {
            Path file = directory.resolve(kind);
            if (pinned(file)) {
                // lazy: a process opening the file right now must not make the pod's removal fail
                HostCommand.run(TIMEOUT, List.of("umount", "--lazy", file.toString()));
            }
            Files.deleteIfExists(file);
        }
    }
}
