package io.hawser.runtime.runc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.host.CgroupMode;
import io.hawser.host.Executables;
import io.hawser.host.MountTable;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The runc runtime plugin, configured by {@code io.hawser.runtime.runc}: any runtime with the OCI
 * runtime command line, each task supervised by conmon.
 */
@Component(configurationPid = RuncRuntimePlugin.PID)
@HawserPlugin(type = PluginType.RUNTIME, id = "runc")
@Designate(ocd = RuncRuntimePlugin.Config.class)
public final class RuncRuntimePlugin implements Plugin {

    static final String PID = "io.hawser.runtime.runc";

    @ObjectClassDefinition(name = "Hawser runc runtime")
    public @interface Config {
        @AttributeDefinition(description = "The OCI runtime binary: a name looked up in PATH, or a path")
        String binary() default "runc";

        @AttributeDefinition(description = "The conmon binary: a name looked up in PATH, or a path")
        String conmon() default "conmon";
    }

    private final String binary;
    private final String conmon;

    @Activate
    public RuncRuntimePlugin(Config config) {
        this.binary = config.binary();
        this.conmon = config.conmon();
    }

    @Override
    public PluginStatus status() {
        return status(Executables.find(binary), Executables.find(conmon));
    }

    /** Missing binaries are errors, named with where they were looked for; else not implemented. */
    PluginStatus status(Optional<Path> runtime, Optional<Path> monitor) {
        List<String> missing = new ArrayList<>();
        if (runtime.isEmpty()) {
            missing.add(Executables.notFound(binary));
        }
        if (monitor.isEmpty()) {
            missing.add(Executables.notFound(conmon));
        }
        if (!missing.isEmpty()) {
            return PluginStatus.error(String.join("; ", missing));
        }
        return PluginStatus.notImplemented("tasks (create, start, exec through conmon) are not implemented yet");
    }

    @Override
    public Map<String, String> exports() {
        return Map.of(
                "binary", Executables.find(binary).map(Path::toString).orElse(binary),
                "conmon", Executables.find(conmon).map(Path::toString).orElse(conmon),
                "cgroups", CgroupMode.of(MountTable.current()).label());
    }
}
