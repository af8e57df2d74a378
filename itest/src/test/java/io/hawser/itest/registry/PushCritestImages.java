package io.hawser.itest.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the images the CRI validation suite {@code critest} v1.34 pulls, from the busybox of
 * Debian's {@code busybox-static}, and pushes them to a registry under the repository names
 * critest asks for ({@code e2e-test-images/…} of {@code registry.k8s.io},
 * {@code k8s-staging-cri-tools/…} of {@code gcr.io}), so that a hosts configuration mirroring
 * both registries to it serves critest without a network. Also the pod sandbox image containerd
 * 1.6 pulls for every pod ({@code registry.k8s.io/pause:3.6}).
 *
 * <p>Each image has what the specs that use it check, not the upstream image's content:
 * <ul>
 * <li>every image: busybox with all its applets as hard links in {@code /bin}, as in the busybox
 *     image (a path masked in a container, such as {@code /bin/ls}, then hides that name only),
 *     shell scripts for the two commands critest runs that Debian's build lacks ({@code pgrep NAME}
 *     from {@code /proc/PID/comm}, {@code ipcs -m} as the kernel's {@code /proc/sysvipc/shm}),
 *     {@code /etc/passwd} and {@code /etc/group} with the users of the busybox image
 *     ({@code root}, {@code www-data}, {@code nobody}, …), {@code /tmp} and {@code /var/run};
 * <li>{@code nginx:1.14-2}: busybox {@code httpd} serving an index page on port 80, started as
 *     {@code /usr/sbin/nginx} (so {@code pidof nginx} finds it) with {@code argv[0]}
 *     "{@code nginx: master process …}" (the ContainerPID spec looks for it in
 *     {@code /proc/1/cmdline}), its pid in {@code /var/run/nginx.pid};
 *     {@code hostnet-nginx-amd64} the same on port 12003; {@code httpd:2.4.39-4} on port 80,
 *     logging a line naming httpd;
 * <li>{@code nonewprivs:1.3}: prints {@code Effective uid: N}, where N is 0 when the setuid-root
 *     {@code su} (a setuid copy of busybox; root has no password, so su asks none) could become
 *     root, i.e. when the kernel honoured the setuid bit, else the caller's uid;
 * <li>{@code test-image-user-*}: the {@code User} of critest's image builds (1002, www-data,
 *     1003:1004, www-data:1004); {@code test-image-predefined-group}: user 1000 member of group
 *     50000 in {@code /etc/group};
 * <li>{@code test-image-1/2/3}, {@code test-image-latest}, {@code test-image-tag:test} and
 *     {@code :all}: distinct images (each with a file named after it); {@code test-image-tags:1/2/3}
 *     one image under three tags.
 * </ul>
 * Not reproducible, so not pushed: {@code test-image-digest@sha256:9700f9…}, pinned by the digest
 * of an upstream manifest whose bytes cannot be rebuilt here.
 *
 * <p>Prints one line per pushed reference: {@code REPOSITORY:TAG MANIFEST_DIGEST}.
 */
public final class PushCritestImages {

    private static final String E2E = "e2e-test-images/";
    private static final String CRI_TOOLS = "k8s-staging-cri-tools/";

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            bin:x:2:2:bin:/bin:/bin/false
            sys:x:3:3:sys:/dev:/bin/false
            sync:x:4:100:sync:/bin:/bin/sync
            mail:x:8:8:mail:/var/spool/mail:/bin/false
            www-data:x:33:33:www-data:/var/www:/bin/false
            operator:x:37:37:Operator:/var:/bin/false
            nobody:x:65534:65534:nobody:/home:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            daemon:x:1:
            bin:x:2:
            sys:x:3:
            adm:x:4:
            tty:x:5:
            mail:x:8:
            wheel:x:10:root
            www-data:x:33:
            operator:x:37:
            users:x:100:
            nogroup:x:65534:
            """;

    /** {@code pgrep NAME}: the pids of the processes whose name is NAME. */
    private static final String PGREP = """
            #!/bin/sh
            # pgrep NAME: the pids of the processes named NAME (Debian's busybox has no pgrep applet)
            found=1
            for dir in /proc/[0-9]*; do
                read -r name 2>/dev/null <"$dir/comm" || continue
                if [ "$name" = "$1" ]; then echo "${dir#/proc/}"; found=0; fi
            done
            exit $found
            """;
    /** {@code ipcs -m}: the shared memory segments of the caller's IPC namespace. */
    private static final String IPCS = """
            #!/bin/sh
            # ipcs -m: the shared memory segments of this IPC namespace as the kernel lists them
            # (Debian's busybox has no ipcs applet)
            cat /proc/sysvipc/shm
            """;

    private final RegistryApiClient registry;
    /** What was pushed, by {@code REPOSITORY:TAG}, in push order. */
    private final Map<String, TestImage> pushed = new LinkedHashMap<>();
    private final List<String> applets;
    private final byte[] busybox;

    private PushCritestImages(RegistryApiClient registry) throws IOException, InterruptedException {
        this.registry = registry;
        this.applets = appletsOfBusybox();
        this.busybox = Files.readAllBytes(ImageBuilder.BUSYBOX);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: PushCritestImages REGISTRY_HOST:PORT");
            System.exit(2);
        }
        pushTo(new RegistryApiClient(URI.create("http://" + args[0]), null))
                .forEach((reference, image) -> System.out.println(reference + " " + image.manifest().digest()));
    }

    /** Builds every image and pushes it through {@code registry}; returns them by {@code REPOSITORY:TAG}, in push order. */
    static Map<String, TestImage> pushTo(RegistryApiClient registry) throws IOException, InterruptedException {
        PushCritestImages fixture = new PushCritestImages(registry);
        fixture.pushAll();
        return Collections.unmodifiableMap(fixture.pushed);
    }

    private void pushAll() throws IOException, InterruptedException {
        push(E2E + "busybox", "1.29-2", base(PASSWD, GROUP).build());
        push(E2E + "nginx", "1.14-2", nginxLike(80));
        push(CRI_TOOLS + "hostnet-nginx-amd64", "latest", nginxLike(12003));
        push(E2E + "httpd", "2.4.39-4", base(PASSWD, GROUP)
                .tarLayer(indexPage("usr/local/apache2/htdocs"))
                .runConfig("Entrypoint", List.of("/bin/sh", "-c",
                        "echo 'httpd: serving /usr/local/apache2/htdocs on port 80'; exec httpd -f -v -p 80 -h /usr/local/apache2/htdocs"))
                .cmd()
                .build());
        push(E2E + "nonewprivs", "1.3", noNewPrivs());
        push("pause", "3.6", pause());

        for (Map.Entry<String, String> user : Map.of(
                "test-image-user-uid", "1002",
                "test-image-user-username", "www-data",
                "test-image-user-uid-group", "1003:1004",
                "test-image-user-username-group", "www-data:1004").entrySet()) {
            push(CRI_TOOLS + user.getKey(), "latest", base(PASSWD, GROUP).runConfig("User", user.getValue()).build());
        }
        push(CRI_TOOLS + "test-image-predefined-group", "latest",
                base(PASSWD + "default-user:x:1000:1000:Linux User,,,:/home/default-user:/bin/sh\n",
                        GROUP + "default-user:x:1000:\ngroup-defined-in-image:x:50000:default-user\n")
                        .runConfig("User", "1000")
                        .build());

        for (String name : List.of("test-image-1", "test-image-2", "test-image-3", "test-image-latest")) {
            push(CRI_TOOLS + name, "latest", marked(name));
        }
        TestImage sameImage = marked("same-image");
        for (String tag : List.of("1", "2", "3")) {
            push(CRI_TOOLS + "test-image-tags", tag, sameImage);
        }
        for (String tag : List.of("test", "all")) {
            push(CRI_TOOLS + "test-image-tag", tag, marked(tag));
        }
    }

    private void push(String repository, String tag, TestImage image) throws IOException, InterruptedException {
        registry.push(repository, tag, image);
        pushed.put(repository + ":" + tag, image);
    }

    /** busybox with every applet, the given user and group files, and the directories programs expect. */
    private ImageBuilder base(String passwd, String group) {
        TarBuilder bin = new TarBuilder().directory("bin", 0755).file("bin/busybox", 0755, busybox);
        applets.forEach(applet -> bin.hardLink("bin/" + applet, "bin/busybox"));
        bin.file("bin/pgrep", 0755, bytes(PGREP)).file("bin/ipcs", 0755, bytes(IPCS));
        TarBuilder etc = new TarBuilder()
                .directory("etc", 0755)
                .file("etc/passwd", 0644, bytes(passwd))
                .file("etc/group", 0644, bytes(group))
                .directory("tmp", 01777)
                .directory("root", 0700)
                .directory("home", 0755)
                .directory("var", 0755)
                .directory("var/run", 0755)
                .directory("var/www", 0755)
                .directory("usr", 0755)
                .directory("usr/sbin", 0755)
                .directory("usr/local", 0755)
                .directory("usr/local/bin", 0755);
        return ImageBuilder.oci().tarLayer(bin.toByteArray()).tarLayer(etc.toByteArray());
    }

    /**
     * busybox httpd standing in for nginx on {@code port}: run through the link
     * {@code /usr/sbin/nginx} (the process's name) with an {@code argv[0]} whose last path element
     * names the httpd applet, after writing its pid where nginx would.
     */
    private TestImage nginxLike(int port) {
        String html = "usr/share/nginx/html";
        String start = "echo $$ > /var/run/nginx.pid && exec -a 'nginx: master process /usr/sbin/httpd' /usr/sbin/nginx -f -p "
                + port + " -h /" + html;
        return base(PASSWD, GROUP)
                .tarLayer(indexPage(html))
                .tarLayer(new TarBuilder().directory("usr", 0755).directory("usr/sbin", 0755).symlink("usr/sbin/nginx", "/bin/busybox").toByteArray())
                .runConfig("Entrypoint", List.of("/bin/sh", "-c", start))
                .cmd()
                .build();
    }

    /** A setuid-root busybox as {@code /usr/local/bin/su} and a root without password, so su's success shows whether setuid took effect. */
    private TestImage noNewPrivs() {
        String passwd = PASSWD.replace("root:x:0:0:", "root::0:0:");
        String report = "/usr/local/bin/su -c 'echo \"Effective uid: $(id -u)\"' root 2>/dev/null || echo \"Effective uid: $(id -u)\"";
        return base(passwd, GROUP)
                .tarLayer(new TarBuilder().directory("usr", 0755).directory("usr/local", 0755).directory("usr/local/bin", 0755)
                        .file("usr/local/bin/su", 04755, busybox).toByteArray())
                .runConfig("Entrypoint", List.of("/bin/sh", "-c", report))
                .cmd()
                .build();
    }

    /**
     * A pod sandbox image whose process is named {@code pause}, as the real one's is: containers
     * share the sandbox's pid namespace by default, and critest looks for its own processes by name
     * ({@code pgrep sleep}), so a sandbox process named sleep would be found. busybox's sleep runs
     * through the link {@code /pause} with {@code argv[0]} naming the applet.
     */
    private TestImage pause() {
        return base(PASSWD, GROUP)
                .tarLayer(new TarBuilder().symlink("pause", "/bin/busybox").toByteArray())
                .runConfig("Entrypoint", List.of("/bin/sh", "-c", "exec -a sleep /pause infinity"))
                .cmd()
                .build();
    }

    /** busybox with a file {@code /NAME}, so that images built this way with different names differ. */
    private TestImage marked(String name) {
        return base(PASSWD, GROUP).tarLayer(new TarBuilder().file(name, 0644, bytes(name + "\n")).toByteArray()).build();
    }

    private static byte[] indexPage(String directory) {
        TarBuilder tar = new TarBuilder();
        String[] parts = directory.split("/");
        for (int i = 1; i <= parts.length; i++) {
            tar.directory(String.join("/", List.of(parts).subList(0, i)), 0755);
        }
        return tar.file(directory + "/index.html", 0644, bytes("<html><body><h1>critest fixture</h1></body></html>\n")).toByteArray();
    }

    /** The applets of the installed busybox, minus {@code busybox} itself, which Debian's build lists. */
    private static List<String> appletsOfBusybox() throws IOException, InterruptedException {
        Process list = new ProcessBuilder(ImageBuilder.BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        String out;
        try (InputStream in = list.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (list.waitFor() != 0) {
            throw new IOException(ImageBuilder.BUSYBOX + " --list failed: " + out);
        }
        return out.lines().filter(applet -> !applet.isBlank() && !applet.equals("busybox")).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
