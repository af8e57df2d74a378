package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path temp;

    @Test
    void deletesATreeAndItsLinksWithoutFollowingThem() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("kept"), "kept");
        Path tree = Files.createDirectories(temp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(tree.resolve("to-outside"), outside);
        Files.createSymbolicLink(temp.resolve("tree/to-kept"), kept);

        FileTrees.delete(temp.resolve("tree"));

        assertFalse(Files.exists(temp.resolve("tree")));
        assertTrue(Files.exists(kept), "a link's target outside the tree is left alone");
    }

    @Test
    void aMissingTreeIsNoErrorAndASingleFileOrLinkIsDeleted() throws IOException {
        FileTrees.delete(temp.resolve("missing"));
        Path file = Files.writeString(temp.resolve("file"), "x");
        Path dangling = Files.createSymbolicLink(temp.resolve("dangling"), temp.resolve("nowhere"));

        FileTrees.delete(file);
        FileTrees.delete(dangling);

        assertFalse(Files.exists(file));
        assertFalse(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS));
    }
}
