package io.hawser.runtime.kata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestKernelTest {

    @TempDir
    Path temp;

    private Path boot;
    private Path modules;

    @BeforeEach
    void layout() throws IOException {
        boot = Files.createDirectory(temp.resolve("boot"));
        modules = Files.createDirectory(temp.resolve("modules"));
    }

    /** A kernel image, with a module tree that has 9p or not. */
    private Path kernel(String release, boolean with9p) throws IOException {
        Path fs = Files.createDirectories(modules.resolve(release).resolve("kernel/fs"));
        Files.createDirectories(fs.resolve("ext4"));
        if (with9p) {
            Files.createDirectories(fs.resolve("9p"));
        }
        return Files.writeString(boot.resolve("vmlinuz-" + release), "kernel");
    }

    @Test
    void passesOverAKernelWithout9p() throws IOException {
        Path full = kernel("6.1.0-28-amd64", true);
        kernel("6.1.0-28-cloud-amd64", false);

        assertEquals(Optional.of(full), GuestKernel.find(boot, modules));
    }

    @Test
    void picksTheNewestOfTheSuitableKernels() throws IOException {
        kernel("6.1.0-27-amd64", true);
        Path newest = kernel("6.1.0-28-amd64", true);
        kernel("6.1.0-29-cloud-amd64", false);

        assertEquals(Optional.of(newest), GuestKernel.find(boot, modules));
    }

    @Test
    void comparesReleasesNumericallyNotAlphabetically() throws IOException {
        kernel("6.9.0-1-amd64", true);
        Path newest = kernel("6.10.0-1-amd64", true);

        assertEquals(Optional.of(newest), GuestKernel.find(boot, modules));
    }

    @Test
    void comparesReleasesWithZeroComponents() throws IOException {
        // Debian backports name kernels like this one; a zero as last component must not break the comparison
        kernel("6.1.0-0.deb11.13-amd64", true);
        Path newest = kernel("6.1.0-28-amd64", true);
        kernel("6.1-amd64", true);

        assertEquals(Optional.of(newest), GuestKernel.find(boot, modules));
    }

    @Test
    void ignoresFilesThatAreNotKernelImages() throws IOException {
        Path kernel = kernel("6.1.0-28-amd64", true);
        Files.writeString(boot.resolve("initrd.img-6.1.0-28-amd64"), "initrd");
        Files.writeString(boot.resolve("config-6.1.0-28-amd64"), "config");

        assertEquals(Optional.of(kernel), GuestKernel.find(boot, modules));
    }

    @Test
    void noSuitableKernelIsEmpty() throws IOException {
        kernel("6.1.0-28-cloud-amd64", false);
        Files.writeString(boot.resolve("vmlinuz-6.2.0-1-amd64"), "kernel without modules");

        assertEquals(Optional.empty(), GuestKernel.find(boot, modules));
    }

    @Test
    void missingBootDirectoryIsEmpty() {
        assertEquals(Optional.empty(), GuestKernel.find(temp.resolve("nowhere"), modules));
    }
}
