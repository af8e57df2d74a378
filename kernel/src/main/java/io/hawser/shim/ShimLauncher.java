package io.hawser.shim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts shims of one kind and finds them again. Registered with the service property
 * {@value #SHIM_PROPERTY} set to the kind ({@code conmon}, {@code qemu}); runtime plugins use the
 * launcher that fits them.
 */
@ProviderType
public interface ShimLauncher {

    /** Service property holding the kind of shim the launcher starts. */
    String SHIM_PROPERTY = "hawser.shim";

    /**
     * Starts a shim, detached from the daemon (its own session, not a child the daemon reaps), and
     * returns once the supervised process is created or has failed to be. The state directory is
     * written before this returns, so a daemon that dies right after still finds the shim.
     *
     * @throws IOException when the shim or its program fails to start; the message carries their
     *                     own error output
     */
    Shim launch(ShimSpec spec) throws IOException;

    /**
     * The state directories of every shim this launcher started that has not been shut down,
     * whether the shim still runs or not.
     */
    List<Path> list() throws IOException;

    /**
     * Takes up a shim from its state directory, after a daemon or plugin restart. A shim whose
     * process has already ended is still returned, so its exit status can be read and it can be
     * shut down.
     *
     * @return the shim, or empty when the directory holds no complete shim state (a launch
     *         interrupted before the shim started); the caller then removes the directory
     */
    Optional<Shim> reconnect(Path stateDir) throws IOException;
}
