package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLookupTest {

    @TempDir
    Path rootfs;

    private static JsonNode process(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void findsProgramsThroughThePathAndLinksInsideTheRoot() throws Exception {
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("data"));
        Files.createFile(rootfs.resolve("bin/busybox"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        Files.createSymbolicLink(rootfs.resolve("bin/abs"), Path.of("/bin/busybox"));
        Files.createFile(rootfs.resolve("data/notes"));
        // on the host /bin/true exists; in this root it does not, and a link to it must not find the host's
        Files.createSymbolicLink(rootfs.resolve("bin/escape"), Path.of("../../../../bin/true"));

        assertEquals(Optional.empty(), CommandLookup.problem(rootfs, process("{\"args\":[\"sh\"],\"env\":[\"PATH=/bin\"]}")));
        assertEquals(Optional.empty(), CommandLookup.problem(rootfs, process("{\"args\":[\"/bin/abs\"]}")));
        assertEquals(Optional.empty(), CommandLookup.problem(rootfs, process("{\"args\":[\"../bin/sh\"],\"cwd\":\"/data\"}")));
        assertEquals(Optional.of("executable file '/bin/escape' not found in the container"),
                CommandLookup.problem(rootfs, process("{\"args\":[\"/bin/escape\"]}")));
        assertEquals(Optional.of("executable file 'true' not found in $PATH (/bin:/usr/bin) in the container"),
                CommandLookup.problem(rootfs, process("{\"args\":[\"true\"],\"env\":[\"PATH=/bin:/usr/bin\"]}")));
        assertEquals(Optional.of("'/data/notes' in the container is not executable"),
                CommandLookup.problem(rootfs, process("{\"args\":[\"/data/notes\"]}")));
        assertTrue(CommandLookup.resolveInRoot(rootfs, "/bin/escape").isEmpty());
    }

    @Test
    void linkLoopsEndTheSearch() throws Exception {
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createSymbolicLink(rootfs.resolve("bin/a"), Path.of("b"));
        Files.createSymbolicLink(rootfs.resolve("bin/b"), Path.of("a"));
        assertEquals(Optional.of("executable file '/bin/a' not found in the container"),
                CommandLookup.problem(rootfs, process("{\"args\":[\"/bin/a\"]}")));
    }
}
