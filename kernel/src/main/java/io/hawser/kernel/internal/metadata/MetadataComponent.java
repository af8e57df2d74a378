package io.hawser.kernel.internal.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.hawser.plugin.Daemon;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** Opens the metadata database under the daemon root for the kernel's stores, and closes it. */
@Component(service = Metadata.class)
public final class MetadataComponent extends Metadata {

    /**
     * System property where sqlite-jdbc extracts its native library before loading it; by
     * default that is {@code java.io.tmpdir}, which hardened hosts mount {@code noexec}.
     */
    static final String SQLITE_TMPDIR_PROPERTY = "org.sqlite.tmpdir";

    @Activate
    public MetadataComponent(@Reference Daemon daemon) throws IOException {
        useNativeLibraryDirectory(daemon.state().resolve("sqlite"));
        super(daemon.root());
    }

    /** An operator's own setting on the command line wins. */
    private static void useNativeLibraryDirectory(Path directory) throws IOException {
        if (System.getProperty(SQLITE_TMPDIR_PROPERTY) == null) {
            Files.createDirectories(directory);
            System.setProperty(SQLITE_TMPDIR_PROPERTY, directory.toString());
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        close();
    }
}
