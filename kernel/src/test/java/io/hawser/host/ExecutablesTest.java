package io.hawser.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

    @TempDir
    Path temp;

    private Path file(String dir, String name, String mode) throws IOException {
        Path file = Files.createDirectories(temp.resolve(dir)).resolve(name);
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private String searchPath(String... dirs) {
        return Arrays.stream(dirs).map(d -> temp.resolve(d).toString()).collect(Collectors.joining(":"));
    }

    @Test
    void findsAnExecutableInTheSearchPath() throws IOException {
        Path runc = file("sbin", "runc", "rwxr-xr-x");

        assertEquals(Optional.of(runc), Executables.find("runc", searchPath("bin", "sbin")));
    }

    @Test
    void skipsAFileThatIsNotExecutable() throws IOException {
        file("first", "runc", "rw-r--r--");
        Path executable = file("second", "runc", "rwxr-xr-x");

        assertEquals(Optional.of(executable), Executables.find("runc", searchPath("first", "second")));
    }

    @Test
    void skipsADirectoryWithTheProgramsName() throws IOException {
        Files.createDirectories(temp.resolve("first/runc"));
        Path executable = file("second", "runc", "rwxr-xr-x");

        assertEquals(Optional.of(executable), Executables.find("runc", searchPath("first", "second")));
    }

    @Test
    void firstDirectoryInTheSearchPathWins() throws IOException {
        Path first = file("first", "runc", "rwxr-xr-x");
        file("second", "runc", "rwxr-xr-x");

        assertEquals(Optional.of(first), Executables.find("runc", "::" + searchPath("first", "second")));
    }

    @Test
    void nothingFoundIsEmpty() throws IOException {
        file("bin", "runc", "rw-r--r--");

        assertEquals(Optional.empty(), Executables.find("runc", searchPath("bin", "missing")));
        assertEquals(Optional.empty(), Executables.find("runc", ""));
    }

    @Test
    void nameWithASlashIsTakenAsAPathAndNotSearched() throws IOException {
        Path executable = file("opt", "runc", "rwxr-xr-x");
        Path plain = file("opt", "conmon", "rw-r--r--");
        file("bin", "runc", "rwxr-xr-x");

        assertEquals(Optional.of(executable), Executables.find(executable.toString(), searchPath("bin")));
        assertEquals(Optional.empty(), Executables.find(plain.toString(), searchPath("bin")));
        assertEquals(Optional.empty(), Executables.find("nowhere/runc", searchPath("bin")));
    }

    @Test
    void emptyNameFindsNothing() throws IOException {
        file("bin", "runc", "rwxr-xr-x");

        assertEquals(Optional.empty(), Executables.find("", searchPath("bin")));
    }
}
