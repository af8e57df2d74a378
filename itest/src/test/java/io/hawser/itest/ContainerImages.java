package io.hawser.itest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.hawser.itest.registry.ImageBuilder;
import io.hawser.itest.registry.LocalRegistry;
import io.hawser.itest.registry.TarBuilder;

/**
 * The images the container tests run, built from busybox and pushed to a loopback registry. Every
 * image has the same base: busybox with the applets the tests call, {@code /etc/passwd} and
 * {@code /etc/group} with a non-root user {@code app} (1000:1000) in the supplementary groups
 * {@code audio} (29) and {@code video} (44), a sticky {@code /tmp} and an empty {@code /srv}.
 *
 * @param busybox    that base, {@code Cmd} {@code /bin/sh}
 * @param configured the base with every run-config field an image can set: {@code Entrypoint}
 *                   {@code /bin/sh -c}, a {@code Cmd} that prints {@code $GREETING from $PWD as
 *                   $USER}, {@code Env} {@code GREETING=hello}, {@code WorkingDir} {@code /srv},
 *                   {@code User} {@code app}
 * @param stopSignal the base with {@code StopSignal} {@code SIGUSR1} and a {@code Cmd} that prints
 *                   {@code ready}, then waits and, on SIGUSR1, prints {@code got USR1} and exits 0
 * @param unpulled   the base under another name, which no test pulls before running it
 */
record ContainerImages(String busybox, String configured, String stopSignal, String unpulled) {

    /** The applets beyond {@link ImageBuilder#BUSYBOX_APPLETS} that the tests call. */
    private static final String[] MORE_APPLETS = {
            "tty", "stty", "head", "tail", "hostname", "grep", "mount", "chown", "tr", "pwd", "seq", "dd", "cut", "sync",
            "ip", "readlink", "unshare", "nc" };

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            app:x:1000:1000:app:/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    static final String GROUP = """
            root:x:0:
            audio:x:29:app
            video:x:44:nobody,app
            app:x:1000:
            nogroup:x:65534:
            """;

    /** Builds the images and pushes them to {@code registry}; returns their references. */
    static ContainerImages push(LocalRegistry registry) throws Exception {
        String host = registry.host();
        registry.client().push("test/busybox", "latest", base().build());
        registry.client().push("test/unpulled", "latest", base().build());
        registry.client().push("test/configured", "latest", base()
                .runConfig("Entrypoint", List.of("/bin/sh", "-c"))
                .cmd("echo \"$GREETING from $(pwd) as $(id -un)\"")
                .runConfig("Env", List.of("PATH=/bin", "GREETING=hello"))
                .runConfig("WorkingDir", "/srv")
                .runConfig("User", "app")
                .build());
        registry.client().push("test/stopsignal", "latest", base()
                .runConfig("StopSignal", "SIGUSR1")
                .cmd("/bin/sh", "-c", "trap 'echo got USR1; exit 0' USR1; echo ready; sleep 1000 & wait")
                .build());
        return new ContainerImages(host + "/test/busybox", host + "/test/configured", host + "/test/stopsignal",
                host + "/test/unpulled");
    }

    private static ImageBuilder base() {
        byte[] system = new TarBuilder()
                .directory("etc", 0755)
                .file("etc/passwd", 0644, PASSWD.getBytes(StandardCharsets.UTF_8))
                .file("etc/group", 0644, GROUP.getBytes(StandardCharsets.UTF_8))
                .directory("tmp", 01777)
                .directory("srv", 0755)
                .directory("home", 0755)
                .directory("home/app", 0755)
                .directory("root", 0700)
                .toByteArray();
        return ImageBuilder.oci().busyboxLayer().appletLayer(MORE_APPLETS).tarLayer(system);
    }
}
