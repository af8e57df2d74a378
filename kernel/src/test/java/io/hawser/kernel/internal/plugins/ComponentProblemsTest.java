package io.hawser.kernel.internal.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hawser.plugin.HawserPlugin;
import org.junit.jupiter.api.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ComponentProblemsTest {

    private static final String RUNC_PID = "io.hawser.runtime.runc";

    private static BundleDTO bundle(String symbolicName, String version) {
        BundleDTO bundle = new BundleDTO();
        bundle.symbolicName = symbolicName;
        bundle.version = version;
        return bundle;
    }

    private static ComponentDescriptionDTO pluginComponent(String type, String id) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = "io.hawser.runtime.runc.RuncRuntimePlugin";
        description.bundle = bundle("io.hawser.runtime.runc", "0.1.0");
        description.properties = Map.of(HawserPlugin.TYPE_PROPERTY, type, HawserPlugin.ID_PROPERTY, id);
        description.configurationPolicy = "optional";
        description.configurationPid = new String[] {RUNC_PID};
        description.references = new ReferenceDTO[0];
        return description;
    }

    private static ComponentConfigurationDTO configuration(ComponentDescriptionDTO description, int state) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.description = description;
        configuration.state = state;
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return configuration;
    }

    private static ReferenceDTO reference(String name, String interfaceName) {
        ReferenceDTO reference = new ReferenceDTO();
        reference.name = name;
        reference.interfaceName = interfaceName;
        return reference;
    }

    private static UnsatisfiedReferenceDTO unsatisfied(String name, String target) {
        UnsatisfiedReferenceDTO unsatisfied = new UnsatisfiedReferenceDTO();
        unsatisfied.name = name;
        unsatisfied.target = target;
        return unsatisfied;
    }

    private static List<PluginTable.Declared> declared(ComponentDescriptionDTO description, boolean enabled,
            List<ComponentConfigurationDTO> configurations) {
        return ComponentProblems.declared(List.of(description), d -> enabled, d -> configurations);
    }

    @Test
    void componentsWithoutPluginPropertiesAreIgnored() {
        ComponentDescriptionDTO notAPlugin = pluginComponent("io.hawser.runtime.v1", "runc");
        notAPlugin.properties = Map.of("component.name", "io.hawser.kernel.internal.log.LogForwarder");
        ComponentDescriptionDTO typeOnly = pluginComponent("io.hawser.runtime.v1", "runc");
        typeOnly.properties = Map.of(HawserPlugin.TYPE_PROPERTY, "io.hawser.runtime.v1");

        List<PluginTable.Declared> result = ComponentProblems.declared(List.of(notAPlugin, typeOnly), d -> true, d -> List.of());

        assertEquals(List.of(), result);
    }

    @Test
    void pluginComponentCarriesItsIdentityAndBundle() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");

        PluginTable.Declared result = declared(description, true,
                List.of(configuration(description, ComponentConfigurationDTO.ACTIVE))).getFirst();

        assertEquals(new PluginTable.Identity("io.hawser.runtime.v1", "runc", "io.hawser.runtime.runc 0.1.0"), result.identity());
    }

    @Test
    void disabledComponentSaysSo() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");

        PluginTable.Declared result = declared(description, false, List.of()).getFirst();

        assertEquals(Optional.of("component io.hawser.runtime.runc.RuncRuntimePlugin is disabled"), result.problem());
    }

    @Test
    void requiredConfigurationThatIsAbsentIsAwaitedByPid() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");
        description.configurationPolicy = "require";

        PluginTable.Declared result = declared(description, true, List.of()).getFirst();

        assertEquals(Optional.of("waiting for configuration " + RUNC_PID), result.problem());
    }

    @Test
    void unsatisfiedReferenceNamesTheMissingServiceAndItsTarget() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.snapshotter.v1", "overlay");
        description.references = new ReferenceDTO[] {
            reference("daemon", "io.hawser.plugin.Daemon"),
            reference("store", "io.hawser.content.ContentStore"),
        };
        ComponentConfigurationDTO configuration = configuration(description, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {
            unsatisfied("daemon", null),
            unsatisfied("store", "(name=local)"),
        };

        PluginTable.Declared result = declared(description, true, List.of(configuration)).getFirst();

        assertEquals(Optional.of("missing required service io.hawser.plugin.Daemon, io.hawser.content.ContentStore (name=local)"),
                result.problem());
    }

    @Test
    void failedActivationGivesTheFirstLineOfTheFailure() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");
        ComponentConfigurationDTO configuration = configuration(description, ComponentConfigurationDTO.FAILED_ACTIVATION);
        configuration.failure = "java.lang.IllegalStateException: cannot create /var/lib/hawser\n\tat io.hawser.Foo.bar(Foo.java:1)\n";

        PluginTable.Declared result = declared(description, true, List.of(configuration)).getFirst();

        assertEquals(Optional.of("activation failed: java.lang.IllegalStateException: cannot create /var/lib/hawser"), result.problem());
    }

    @Test
    void failedActivationWithoutFailureTextStillGivesAReason() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");
        ComponentConfigurationDTO configuration = configuration(description, ComponentConfigurationDTO.FAILED_ACTIVATION);

        PluginTable.Declared result = declared(description, true, List.of(configuration)).getFirst();

        assertEquals(Optional.of("activation failed: no reason given"), result.problem());
    }

    @Test
    void activeOrSatisfiedComponentHasNoProblem() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");

        for (int state : new int[] {ComponentConfigurationDTO.ACTIVE, ComponentConfigurationDTO.SATISFIED}) {
            PluginTable.Declared result = declared(description, true, List.of(configuration(description, state))).getFirst();
            assertEquals(Optional.empty(), result.problem(), "state " + state);
        }
    }

    @Test
    void oneActiveConfigurationAmongFailedOnesMeansNoProblem() {
        ComponentDescriptionDTO description = pluginComponent("io.hawser.runtime.v1", "runc");
        ComponentConfigurationDTO failed = configuration(description, ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "boom";

        PluginTable.Declared result = declared(description, true,
                List.of(failed, configuration(description, ComponentConfigurationDTO.ACTIVE))).getFirst();

        assertEquals(Optional.empty(), result.problem());
    }
}
