package io.hawser.kernel.internal.snapshots;

import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.hawser.errors.HawserException;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Follows the snapshotter services by their {@value Snapshotter#SNAPSHOTTER_PROPERTY} id. It takes
 * them by reference and gets a service only when it is first asked for, so a snapshotter's
 * storage and database open on first use rather than with the daemon.
 */
@Component(configurationPid = SnapshottersComponent.PID)
@Designate(ocd = SnapshottersComponent.Config.class)
public final class SnapshottersComponent implements Snapshotters {

    static final String PID = "io.hawser.snapshotters";

    @ObjectClassDefinition(name = "Hawser snapshotters")
    public @interface Config {
        @AttributeDefinition(description = "The snapshotter images are unpacked into unless a request names one")
        String default_snapshotter() default "overlay";
    }

    private final BundleContext context;
    private final String defaultId;
    private final Map<String, ServiceReference<Snapshotter>> serving = new ConcurrentHashMap<>();

    @Activate
    public SnapshottersComponent(BundleContext context, Config config) {
        this.context = context;
        this.defaultId = config.default_snapshotter();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Snapshotter.SNAPSHOTTER_PROPERTY + "=*)")
    void addSnapshotter(ServiceReference<Snapshotter> reference) {
        serving.put(idOf(reference), reference);
    }

    void removeSnapshotter(ServiceReference<Snapshotter> reference) {
        if (serving.remove(idOf(reference), reference)) {
            context.ungetService(reference);
        }
    }

    private static String idOf(ServiceReference<Snapshotter> reference) {
        return reference.getProperty(Snapshotter.SNAPSHOTTER_PROPERTY).toString();
    }

    @Override
    public Optional<Snapshotter> find(String id) {
        ServiceReference<Snapshotter> reference = serving.get(id);
        // null when the snapshotter went away meanwhile, or could not open its storage
        return reference == null ? Optional.empty() : Optional.ofNullable(context.getService(reference));
    }

    @Override
    public Snapshotter get(String id) throws HawserException {
        String wanted = id.isEmpty() ? defaultId : id;
        Snapshotter snapshotter = find(wanted).orElse(null);
        if (snapshotter == null) {
            throw HawserException.notFound("snapshotter " + wanted + " (serving: " + (serving.isEmpty() ? "none" : String.join(", ", ids()))
                    + "; 'hawser plugins' says why one is missing)");
        }
        return snapshotter;
    }

    @Override
    public String defaultId() {
        return defaultId;
    }

    @Override
    public SortedSet<String> ids() {
        return new TreeSet<>(serving.keySet());
    }
}
