package io.hawser.runtime.kata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.host.Executables;
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
 * The VM runtime plugin, configured by {@code io.hawser.runtime.kata}: each container in a qemu
 * VM with its own kernel.
 */
@Component(configurationPid = KataRuntimePlugin.PID)
@HawserPlugin(type = PluginType.RUNTIME, id = "kata")
@Designate(ocd = KataRuntimePlugin.Config.class)
public final class KataRuntimePlugin implements Plugin {

    static final String PID = "io.hawser.runtime.kata";

    @ObjectClassDefinition(name = "Hawser VM runtime")
    public @interface Config {
        @AttributeDefinition(description = "The qemu binary: a name looked up in PATH, or a path")
        String qemu() default "qemu-system-x86_64";

        @AttributeDefinition(description = "The guest kernel image; empty means the newest /boot/vmlinuz-* with 9p modules")
        String kernel() default "";
    }

    private final String qemu;
    private final String kernel;

    @Activate
    public KataRuntimePlugin(Config config) {
        this.qemu = config.qemu();
        this.kernel = config.kernel();
    }

    @Override
    public PluginStatus status() {
        List<String> missing = new ArrayList<>();
        if (Executables.find(qemu).isEmpty()) {
            missing.add(Executables.notFound(qemu));
        }
        if (guestKernel().isEmpty()) {
            missing.add(kernel.isEmpty()
                    ? "no guest kernel: no /boot/vmlinuz-* with 9p modules (Debian's linux-image-amd64 has them)"
                    : "guest kernel " + kernel + " not found");
        }
        if (!missing.isEmpty()) {
            return PluginStatus.error(String.join("; ", missing));
        }
        return PluginStatus.notImplemented("VM tasks (boot, agent, virtio-9p rootfs) are not implemented yet");
    }

    private Optional<Path> guestKernel() {
        if (!kernel.isEmpty()) {
            Path image = Path.of(kernel);
            return Files.isRegularFile(image) ? Optional.of(image) : Optional.empty();
        }
        return GuestKernel.find(Path.of("/boot"), Path.of("/lib/modules"));
    }

    @Override
    public Map<String, String> exports() {
        return Map.of(
                "qemu", Executables.find(qemu).map(Path::toString).orElse(qemu),
                "kernel", guestKernel().map(Path::toString).orElse(""));
    }
}
