package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import io.hawser.kernel.internal.spec.ImageUsers.ResolvedUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageUsersTest {

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            # a comment, then a malformed line and a blank one
            broken:x:notanumber:0::/:/bin/false

            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            app:x:1000:1000:App:/home/app:/bin/sh
            nohome:x:1001:1001:::/bin/sh
            """;

    static final String GROUP = """
            root:x:0:
            daemon:x:1:
            wheel:x:10:root,app
            audio:x:29:app
            app:x:1000:app
            staff:x:50:other
            nohome:x:1001:
            """;

    @TempDir
    Path rootfs;

    @BeforeEach
    void writeDatabases() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    @Test
    void aNameGetsItsIdsHomeAndSupplementaryGroups() throws IOException {
        assertEquals(new ResolvedUser(1000, 1000, List.of(10L, 29L), "/home/app"), ImageUsers.resolve(rootfs, "app"));
    }

    @Test
    void noUserIsRoot() throws IOException {
        ResolvedUser root = new ResolvedUser(0, 0, List.of(10L), "/root");
        assertEquals(root, ImageUsers.resolve(rootfs, null));
        assertEquals(root, ImageUsers.resolve(rootfs, ""));
        assertEquals(root, ImageUsers.resolve(rootfs, "root"));
    }

    @Test
    void aUidWithAnEntryIsLookedUpLikeItsName() throws IOException {
        assertEquals(ImageUsers.resolve(rootfs, "app"), ImageUsers.resolve(rootfs, "1000"));
    }

    @Test
    void aUidWithoutAnEntryRunsInGroupZero() throws IOException {
        assertEquals(new ResolvedUser(4242, 0, List.of(), "/"), ImageUsers.resolve(rootfs, "4242"));
        assertEquals(new ResolvedUser(4242, 77, List.of(), "/"), ImageUsers.resolve(rootfs, "4242:77"));
    }

    @Test
    void anExplicitGroupReplacesThePrimaryOneAndLeavesTheSupplementaryOnes() throws IOException {
        assertEquals(new ResolvedUser(1000, 50, List.of(10L, 29L, 1000L), "/home/app"), ImageUsers.resolve(rootfs, "app:staff"));
        assertEquals(new ResolvedUser(1000, 29, List.of(10L, 1000L), "/home/app"), ImageUsers.resolve(rootfs, "1000:29"));
        assertEquals(new ResolvedUser(1, 50, List.of(), "/usr/sbin"), ImageUsers.resolve(rootfs, "daemon:staff"));
    }

    @Test
    void anEmptyHomeIsTheRoot() throws IOException {
        assertEquals("/", ImageUsers.resolve(rootfs, "nohome").home());
    }

    @Test
    void withoutDatabasesOnlyNumbersResolve() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new ResolvedUser(0, 0, List.of(), "/"), ImageUsers.resolve(rootfs, null));
        assertEquals(new ResolvedUser(65534, 65534, List.of(), "/"), ImageUsers.resolve(rootfs, "65534:65534"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "app")).code());
    }

    @Test
    void anUnknownUserIsRefusedByName() {
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "nobody"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("user 'nobody' not found in the image's /etc/passwd", e.getMessage());
    }

    @Test
    void anUnknownGroupIsRefusedByName() {
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "app:games"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertEquals("group 'games' not found in the image's /etc/group", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {":", "app:", ":0", "a:b:c", "4294967295", "0:99999999999"})
    void malformedSpecificationsAreRefused(String user) {
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, user));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'" + user + "'"), e.getMessage());
    }

    @Test
    void aPasswdLinkedOutOfTheRootIsRefused() throws IOException {
        Path outside = Files.writeString(rootfs.resolveSibling(rootfs.getFileName() + "-host-passwd"), "evil:x:0:0::/:/bin/sh\n");
        try {
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside);
            HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "evil"));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertEquals("the image's /etc/passwd is a symbolic link; users cannot be resolved through it", e.getMessage());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void anEtcLinkedElsewhereIsRefused() throws IOException {
        Path hostEtc = Files.createDirectories(rootfs.resolve("elsewhere"));
        Files.move(rootfs.resolve("etc/passwd"), hostEtc.resolve("passwd"));
        Files.move(rootfs.resolve("etc/group"), hostEtc.resolve("group"));
        Files.delete(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("etc"), hostEtc);
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "app"));
        assertEquals("the image's /etc is a symbolic link; users cannot be resolved through it", e.getMessage());
    }

    @Test
    void aGroupFileLinkIsRefusedToo() throws IOException {
        Files.delete(rootfs.resolve("etc/group"));
        Files.createSymbolicLink(rootfs.resolve("etc/group"), Path.of("/etc/group"));
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "app"));
        assertEquals("the image's /etc/group is a symbolic link; users cannot be resolved through it", e.getMessage());
    }

    @Test
    void anOversizedPasswdIsRefused() throws IOException {
        Files.write(rootfs.resolve("etc/passwd"), new byte[ImageUsers.MAX_FILE_SIZE + 1]);
        HawserException e = assertThrows(HawserException.class, () -> ImageUsers.resolve(rootfs, "0"));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("/etc/passwd is larger than"), e.getMessage());
    }
}
