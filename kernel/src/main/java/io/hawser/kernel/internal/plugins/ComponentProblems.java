package io.hawser.kernel.internal.plugins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.hawser.plugin.HawserPlugin;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Reads the component runtime's descriptions of plugin components and says, in an operator's
 * words, why one is not running.
 */
public final class ComponentProblems {

    private ComponentProblems() {}

    /** The plugin components among these descriptions, with their problems. */
    public static List<PluginTable.Declared> declared(List<ComponentDescriptionDTO> descriptions,
            Predicate<ComponentDescriptionDTO> enabled,
            Function<ComponentDescriptionDTO, List<ComponentConfigurationDTO>> configurations) {
        List<PluginTable.Declared> result = new ArrayList<>();
        for (ComponentDescriptionDTO description : descriptions) {
            Object type = description.properties.get(HawserPlugin.TYPE_PROPERTY);
            Object id = description.properties.get(HawserPlugin.ID_PROPERTY);
            if (type == null || id == null) {
                continue;
            }
            PluginTable.Identity identity = new PluginTable.Identity(type.toString(), id.toString(), bundleName(description.bundle));
            Optional<String> problem = enabled.test(description)
                    ? problem(description, configurations.apply(description))
                    : Optional.of("component " + description.name + " is disabled");
            result.add(new PluginTable.Declared(identity, problem));
        }
        return result;
    }

    /** {@code symbolic.name version}, as the plugin list prints a bundle. */
    public static String bundleName(BundleDTO bundle) {
        return bundle.symbolicName + " " + bundle.version;
    }

    static Optional<String> problem(ComponentDescriptionDTO description, List<ComponentConfigurationDTO> configurations) {
        if (configurations.isEmpty()) {
            return "require".equals(description.configurationPolicy)
                    ? Optional.of("waiting for configuration " + String.join(", ", description.configurationPid))
                    : Optional.of("component " + description.name + " has no configuration");
        }
        List<String> problems = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            switch (configuration.state) {
                case ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED -> {
                    return Optional.empty();
                }
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> problems.add(missingReferences(description, configuration));
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                        problems.add("waiting for configuration " + String.join(", ", description.configurationPid));
                case ComponentConfigurationDTO.FAILED_ACTIVATION -> problems.add("activation failed: " + firstLine(configuration.failure));
                default -> problems.add("component state " + configuration.state);
            }
        }
        return Optional.of(String.join("; ", problems));
    }

    private static String missingReferences(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration) {
        return Arrays.stream(configuration.unsatisfiedReferences)
                .map(unsatisfied -> describe(description, unsatisfied))
                .collect(Collectors.joining(", ", "missing required service ", ""));
    }

    private static String describe(ComponentDescriptionDTO description, UnsatisfiedReferenceDTO unsatisfied) {
        String service = Arrays.stream(description.references)
                .filter(reference -> reference.name.equals(unsatisfied.name))
                .map(reference -> reference.interfaceName)
                .findFirst().orElse(unsatisfied.name);
        return unsatisfied.target == null ? service : service + " " + unsatisfied.target;
    }

    private static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given";
        }
        return failure.lines().findFirst().orElse(failure).strip();
    }
}
