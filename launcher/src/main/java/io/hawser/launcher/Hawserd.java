package io.hawser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

import sun.misc.Signal;

/**
 * {@code hawserd}: takes the locks on the root and state directories, starts Felix with the
 * bundles in {@code lib/bundles}, and runs until SIGTERM or SIGINT, which stop the framework in
 * order (every bundle's components deactivate, sockets close) before the process exits.
 */
public final class Hawserd {

    /** FileInstall's property for its scratch directories. */
    private static final String FILEINSTALL_TMPDIR = "felix.fileinstall.tmpdir";
    private static final Logger LOG = Logger.getLogger("hawserd");

    /** How long a stop may take before the process exits anyway. */
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    /**
     * The bundles of the Gogo console and its basic commands: installed only when stdin is a
     * terminal, since they cost memory and threads a daemon without a console has no use for.
     */
    private static final Set<String> CONSOLE_BUNDLES = Set.of("org.apache.felix.gogo.shell", "org.apache.felix.gogo.command");

    private static final int CONSOLE_START_LEVEL = 2;

    private Hawserd() {}

    public static void main(String[] argv) {
        // bin/hawserd notes the time before the JVM starts, so the start-up figure includes the JVM's own
        long launched = Long.getLong("hawser.launched", System.currentTimeMillis());
        Path home = Path.of(System.getProperty("hawser.home", ".")).toAbsolutePath().normalize();
        Optional<DaemonOptions> parsed;
        try {
            parsed = DaemonOptions.parse(List.of(argv), home);
        } catch (DaemonOptions.UsageException e) {
            System.err.println("hawserd: " + e.getMessage());
            System.err.print(DaemonOptions.USAGE);
            System.exit(2);
            return;
        }
        if (parsed.isEmpty()) {
            System.out.print(DaemonOptions.USAGE);
            return;
        }
        DaemonOptions options = parsed.get();
        StderrLog.install(options.logLevel());
        System.exit(run(options, launched));
    }

    private static int run(DaemonOptions options, long launched) {
        try {
            createPrivateDirectory(options.root());
            createPrivateDirectory(options.state());
        } catch (IOException e) {
            LOG.severe("cannot create " + e.getMessage());
            return 1;
        }
        try (DirectoryLock rootLock = DirectoryLock.acquire(options.root(), "root");
             DirectoryLock stateLock = DirectoryLock.acquire(options.state(), "state")) {
            return serve(options, launched);
        } catch (DirectoryLock.HeldException e) {
            LOG.severe(e.getMessage());
            return 1;
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot lock " + options.root() + ": " + e.getMessage(), e);
            return 1;
        }
    }

    private static int serve(DaemonOptions options, long launched) {
        Framework framework = new Felix(frameworkProperties(options, launched));
        try {
            framework.init();
            for (Bundle bundle : install(framework, options.bundles(), isTerminal())) {
                if (CONSOLE_BUNDLES.contains(bundle.getSymbolicName())) {
                    // the console at the last start level, so its first prompt offers every hawser: command
                    bundle.adapt(BundleStartLevel.class).setStartLevel(CONSOLE_START_LEVEL);
                }
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    // marks the bundle to start with the framework, which then starts them all in start level
                    // order and announces STARTED only after the last: frontends wait for that before serving
                    bundle.start();
                }
            }
            framework.start();
        } catch (BundleException | IOException e) {
            LOG.log(Level.SEVERE, "the OSGi framework did not start: " + e.getMessage(), e);
            return 1;
        }
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> stop(framework, "SIG" + name));
        }
        LOG.info(() -> "hawserd " + framework.getBundleContext().getProperty("hawser.version") + " started in "
                + (System.currentTimeMillis() - launched) + " ms (root " + options.root() + ", state " + options.state()
                + ", config " + options.config() + ")");
        try {
            FrameworkEvent event;
            do {
                event = framework.waitForStop(0);
            } while (event.getType() == FrameworkEvent.STOPPED_UPDATE);
            if (event.getType() == FrameworkEvent.ERROR) {
                LOG.log(Level.SEVERE, "the OSGi framework stopped on an error", event.getThrowable());
                return 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        LOG.info("hawserd stopped");
        return 0;
    }

    private static void stop(Framework framework, String why) {
        LOG.info(() -> why + " received, stopping");
        Thread.ofPlatform().name("hawserd-stop").start(() -> {
            try {
                framework.stop();
                if (framework.waitForStop(STOP_TIMEOUT_MILLIS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                    LOG.severe("bundles did not stop within " + STOP_TIMEOUT_MILLIS + " ms; exiting anyway");
                    Runtime.getRuntime().halt(1);
                }
            } catch (BundleException | InterruptedException e) {
                LOG.log(Level.SEVERE, "stopping the OSGi framework failed", e);
                Runtime.getRuntime().halt(1);
            }
        });
    }

    private static Map<String, Object> frameworkProperties(DaemonOptions options, long launched) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, options.state().resolve("osgi").toString());
        // the bundles are installed by reference from lib/bundles on every start; nothing in the cache outlives a stop
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(CONSOLE_START_LEVEL));
        properties.put("felix.log.logger", new StderrLog.FrameworkLog());
        properties.put("felix.log.level", options.logLevel().intValue() <= Level.FINE.intValue() ? "4" : "2");

        properties.put("hawser.root", options.root().toString());
        properties.put("hawser.state", options.state().toString());
        properties.put("hawser.config", options.config().toString());
        properties.put("hawser.deploy", options.deploy().toString());
        properties.put("hawser.started", Long.toString(launched));
        properties.put("hawser.version", Optional.ofNullable(Hawserd.class.getPackage().getImplementationVersion()).orElse("dev"));

        properties.put("felix.fileinstall.dir", options.config().toString());
        properties.put(FILEINSTALL_TMPDIR, fileInstallScratch(options.state()).toString());
        properties.put("felix.fileinstall.filter", ".*\\.(cfg|config)");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.log.default", "jul");
        // etc/ is the operator's: configurations edited in the console are not written back into it
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("ds.loglevel", "warn");

        return properties;
    }

    /**
     * Where FileInstall's watchers keep their scratch directories: in the framework's storage,
     * which is emptied on every start, rather than {@code java.io.tmpdir}, where each start left
     * two behind for good.
     */
    static Path fileInstallScratch(Path state) {
        return state.resolve("osgi").resolve("fileinstall");
    }

    private static boolean isTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    private static List<Bundle> install(Framework framework, Path directory, boolean console) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + directory);
        }
        List<Bundle> bundles = new ArrayList<>();
        for (Path jar : jars) {
            if (!console && CONSOLE_BUNDLES.stream().anyMatch(name -> jar.getFileName().toString().startsWith(name + "-"))) {
                continue;
            }
            // by reference: the framework reads the jar where it is instead of copying it into its cache
            bundles.add(framework.getBundleContext().installBundle("reference:" + jar.toUri()));
        }
        return bundles;
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        }
    }
}
