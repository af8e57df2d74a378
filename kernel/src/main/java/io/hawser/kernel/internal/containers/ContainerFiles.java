package io.hawser.kernel.internal.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.hawser.host.FileTrees;
import io.hawser.kernel.internal.spec.RuntimeSpec;
import io.hawser.kernel.internal.spec.SpecBuilder;
import io.hawser.snapshots.Mounter;

/**
 * Where a container's files live, and making and removing them.
 *
 * <pre>
 * &lt;root&gt;/containers/&lt;id&gt;/        kept across reboots, removed with the container
 *     &lt;id&gt;.log                       its output in the CRI log format (unless the request chose a path)
 *     hostname, hosts, resolv.conf    bind-mounted over the image's /etc files
 * &lt;state&gt;/bundles/&lt;id&gt;/           the OCI bundle of its task: config.json, rootfs/, the shim's
 *                                 files; short, because conmon's attach socket lives in it
 * &lt;state&gt;/create/&lt;id&gt;/            where its snapshot is mounted for a moment while it is created
 * </pre>
 *
 * @param root           the daemon's root
 * @param state          the daemon's state directory
 * @param hostResolvConf the host's {@code resolv.conf}, copied into each container
 */
public record ContainerFiles(Path root, Path state, Path hostResolvConf) {

    /** The loopback entries every container's {@code /etc/hosts} starts with, as docker writes them. */
    private static final String HOSTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    Path containers() {
        return root.resolve("containers");
    }

    Path container(String id) {
        return containers().resolve(id);
    }

    Path defaultLog(String id) {
        return container(id).resolve(id + ".log");
    }

    Path bundles() {
        return state.resolve("bundles");
    }

    Path bundle(String id) {
        return bundles().resolve(id);
    }

    /** Where a task's runtime mounts its root filesystem: its bundle's {@code root.path}, as the spec names it. */
    Path rootfs(String id) {
        return bundle(id).resolve(SpecBuilder.ROOT_PATH);
    }

    Path scratch() {
        return state.resolve("create");
    }

    /**
     * Writes the container's {@code hostname}, {@code hosts} and {@code resolv.conf} into its
     * directory and returns the mounts that put them over the image's, leaving out the files the
     * request mounts itself.
     */
    List<RuntimeSpec.Mount> writeEtcFiles(String id, String hostname, boolean readOnly, Set<String> mountedByRequest)
            throws IOException {
        Path directory = Files.createDirectories(container(id));
        Files.writeString(directory.resolve("hostname"), hostname + "\n");
        // the container's own name resolves to loopback: it has no other address without a network
        Files.writeString(directory.resolve("hosts"), HOSTS + "127.0.0.1\t" + hostname + "\n");
        byte[] resolvConf = Files.isReadable(hostResolvConf) ? Files.readAllBytes(hostResolvConf) : new byte[0];
        Files.write(directory.resolve("resolv.conf"), resolvConf);
        List<RuntimeSpec.Mount> mounts = new ArrayList<>();
        for (String file : List.of("hostname", "hosts", "resolv.conf")) {
            if (mountedByRequest.contains("/etc/" + file)) {
                continue;
            }
            mounts.add(new RuntimeSpec.Mount("/etc/" + file, "bind", directory.resolve(file).toString(),
                    List.of("rbind", "rprivate", readOnly ? "ro" : "rw")));
        }
        return mounts;
    }

    /** Writes a task's bundle: its {@code config.json} and the empty {@code rootfs} the runtime mounts on. */
    Path writeBundle(String id, String spec) throws IOException {
        Path bundle = bundle(id);
        Files.createDirectories(rootfs(id));
        Files.write(bundle.resolve("config.json"), spec.getBytes(StandardCharsets.UTF_8));
        return bundle;
    }

    /** The names in a directory, none when it does not exist. */
    static List<String> entries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Removes a directory tree. Whatever is still mounted below it is detached first, so that a
     * root filesystem a crashed runtime left mounted is not emptied through the mount; symbolic
     * links are removed, never followed. A missing tree is not an error.
     */
    static void removeTree(Mounter mounter, Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        mounter.detach(tree);
        FileTrees.delete(tree);
    }
}
