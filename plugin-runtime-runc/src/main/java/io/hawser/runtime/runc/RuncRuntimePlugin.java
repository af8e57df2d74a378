package io.hawser.runtime.runc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.host.CgroupMode;
import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import io.hawser.runtime.Runtime;
import io.hawser.snapshots.Mounter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The runc runtime plugin, configured by {@code io.hawser.runtime.runc}: any runtime with the OCI
 * runtime command line, each task supervised by conmon. It always registers as a {@link Plugin},
 * so operators see why it does not serve; it registers the {@link Runtime} (handler {@code runc})
 * only when both binaries are there. The service is registered by hand because a DS component
 * cannot make one of its services depend on a check it performs when it activates. It is
 * immediate: tasks left running by an earlier daemon must be found again from the start.
 */
@Component(configurationPid = RuncRuntimePlugin.PID, immediate = true)
@HawserPlugin(type = PluginType.RUNTIME, id = RuncRuntimePlugin.ID)
@Designate(ocd = RuncRuntimePlugin.Config.class)
public final class RuncRuntimePlugin implements Plugin {

    static final String PID = "io.hawser.runtime.runc";
    static final String ID = "runc";

    @ObjectClassDefinition(name = "Hawser runc runtime")
    public @interface Config {
        @AttributeDefinition(description = "The OCI runtime binary: a name looked up in PATH, or a path")
        String binary() default "runc";

        @AttributeDefinition(description = "The conmon binary: a name looked up in PATH, or a path")
        String conmon() default "conmon";

        @AttributeDefinition(description = "The OCI runtime's state directory (--root); empty means <state>/runc")
        String root() default "";

        @AttributeDefinition(description = "How long one runtime command or container creation may take, in seconds")
        int timeoutSeconds() default 30;

        @AttributeDefinition(description = "The cgroup each conmon is moved into, in every hierarchy but v1's cpuset;"
                + " empty leaves conmon in the daemon's cgroup")
        String conmonCgroup() default "/hawser/conmon";
    }

    private final String binary;
    private final String conmon;
    private final Path runtimeRoot;
    private final Path shims;
    private final String conmonCgroup;
    /** Why the plugin does not serve, decided when it activated; null when it serves. */
    private final PluginStatus notServing;
    private final RuncRuntime runtime;
    private final ServiceRegistration<Runtime> registration;

    @Activate
    public RuncRuntimePlugin(@Reference Daemon daemon, @Reference Mounter mounter, Config config, BundleContext context) {
        this.binary = config.binary();
        this.conmon = config.conmon();
        this.runtimeRoot = config.root().isEmpty() ? daemon.state().resolve("runc") : Path.of(config.root());
        this.shims = daemon.state().resolve("shims").resolve(ID);
        this.conmonCgroup = config.conmonCgroup();
        Optional<Path> runtimeBinary = Executables.find(binary);
        Optional<Path> conmonBinary = Executables.find(conmon);
        PluginStatus binaries = status(binary, runtimeBinary, conmon, conmonBinary);
        RuncRuntime started = null;
        PluginStatus failure = binaries.state() == PluginStatus.State.OK ? null : binaries;
        if (failure == null) {
            Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
            try {
                ConmonCgroup monitorCgroup = ConmonCgroup.of(conmonCgroup);
                RuncCommand runc = new RuncCommand(runtimeBinary.orElseThrow(), runtimeRoot, timeout);
                started = new RuncRuntime(new ConmonLauncher(conmonBinary.orElseThrow(), runc, monitorCgroup, timeout),
                        mounter, shims, timeout);
            } catch (IllegalArgumentException e) {
                failure = PluginStatus.error(e.getMessage());
            } catch (IOException e) {
                failure = PluginStatus.error("cannot open the task state under " + shims + ": " + e.getMessage());
            }
        }
        this.notServing = failure;
        this.runtime = started;
        this.registration = started == null ? null : context.registerService(Runtime.class, started,
                new Hashtable<>(Map.of(Runtime.RUNTIME_PROPERTY, ID)));
    }

    @Deactivate
    void deactivate() throws IOException {
        if (registration != null) {
            registration.unregister();
        }
        if (runtime != null) {
            // the tasks live on in their shims; only the watches end
            runtime.close();
        }
    }

    @Override
    public PluginStatus status() {
        return notServing != null ? notServing : PluginStatus.OK;
    }

    /** Missing binaries are errors, named with where they were looked for. */
    static PluginStatus status(String binary, Optional<Path> runtimeBinary, String conmon, Optional<Path> monitor) {
        List<String> missing = new ArrayList<>();
        if (runtimeBinary.isEmpty()) {
            missing.add(Executables.notFound(binary));
        }
        if (monitor.isEmpty()) {
            missing.add(Executables.notFound(conmon));
        }
        return missing.isEmpty() ? PluginStatus.OK : PluginStatus.error(String.join("; ", missing));
    }

    @Override
    public Map<String, String> exports() {
        return Map.of(
                "binary", Executables.find(binary).map(Path::toString).orElse(binary),
                "conmon", Executables.find(conmon).map(Path::toString).orElse(conmon),
                "root", runtimeRoot.toString(),
                "shims", shims.toString(),
                "conmonCgroup", conmonCgroup,
                "cgroups", CgroupMode.of(MountTable.current()).label());
    }
}
