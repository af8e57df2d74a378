package io.hawser.kernel.internal.plugins;

import java.util.List;

import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginInfo;
import io.hawser.plugin.PluginRegistry;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * The plugin registry: takes every plugin service as it comes and goes, and asks the component
 * runtime for plugin components that did not get as far as registering.
 */
@Component
public final class PluginRegistryComponent implements PluginRegistry {

    private final ServiceComponentRuntime componentRuntime;
    private final PluginTable table = new PluginTable();

    @Activate
    public PluginRegistryComponent(@Reference ServiceComponentRuntime componentRuntime) {
        this.componentRuntime = componentRuntime;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPlugin(ServiceReference<Plugin> reference, Plugin plugin) {
        Object type = reference.getProperty(HawserPlugin.TYPE_PROPERTY);
        Object id = reference.getProperty(HawserPlugin.ID_PROPERTY);
        if (type == null || id == null) {
            // not declared with @HawserPlugin: listed through its component if it has one, never guessed
            return;
        }
        String bundle = reference.getBundle().getSymbolicName() + " " + reference.getBundle().getVersion();
        table.add(reference, new PluginTable.Identity(type.toString(), id.toString(), bundle), plugin);
    }

    void removePlugin(ServiceReference<Plugin> reference) {
        table.remove(reference);
    }

    @Override
    public List<PluginInfo> plugins() {
        var descriptions = List.copyOf(componentRuntime.getComponentDescriptionDTOs());
        return table.plugins(ComponentProblems.declared(descriptions,
                componentRuntime::isComponentEnabled,
                description -> List.copyOf(componentRuntime.getComponentConfigurationDTOs(description))));
    }
}
