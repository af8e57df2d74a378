package io.hawser.cri;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.hawser.containers.ContainerService;
import io.hawser.content.ContentStore;
import io.hawser.content.GarbageCollector;
import io.hawser.cri.cni.Cni;
import io.hawser.cri.streaming.StreamingServer;
import io.hawser.events.EventProperties;
import io.hawser.frontend.Frontend;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.Platform;
import io.hawser.images.PullOptions;
import io.hawser.plugin.Daemon;
import io.hawser.plugin.HawserPlugin;
import io.hawser.plugin.Plugin;
import io.hawser.plugin.PluginRegistry;
import io.hawser.plugin.PluginStatus;
import io.hawser.plugin.PluginType;
import io.hawser.runtime.Runtime;
import io.hawser.sandboxes.SandboxStore;
import io.hawser.snapshots.Snapshotter;
import io.hawser.snapshots.Snapshotters;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The CRI frontend: serves the Kubernetes CRI v1 RuntimeService and ImageService over gRPC at
 * {@code unix://<state>/cri.sock}. This class only wires; the services are {@link CriRuntimeService}
 * and {@link CriImageService}, the transport {@link CriServer}.
 */
// immediate: kubelet connects to the socket, not to the service, so nothing else would activate it
@Component(service = {Plugin.class, Frontend.class}, configurationPid = CriFrontend.PID, immediate = true)
@Designate(ocd = CriFrontend.Config.class)
@HawserPlugin(type = PluginType.FRONTEND, id = "cri")
public final class CriFrontend implements Frontend {

    static final String PID = "io.hawser.cri";

    @ObjectClassDefinition(name = "Hawser CRI", description = "The Kubernetes Container Runtime Interface frontend")
    public @interface Config {
        @AttributeDefinition(description = "Socket kubelet and crictl connect to; empty for <state>/cri.sock")
        String socket() default "";

        @AttributeDefinition(description = "host:port of the streaming server for exec, attach and port-forward")
        String streaming_address() default "127.0.0.1:0";

        @AttributeDefinition(description = "Runtime handler of pods whose RuntimeClass names none")
        String default_runtime_handler() default "runc";

        @AttributeDefinition(description = "Directory of CNI network configurations; the first usable file in lexical order is the pod network")
        String cni_conf_dir() default "/etc/cni/net.d";

        @AttributeDefinition(description = "Directories of CNI plugin executables, separated by ':'")
        String cni_bin_dir() default "/usr/lib/cni";

        @AttributeDefinition(description = "Pause program that holds the PID namespace of pods whose containers share one")
        String pause_binary() default "/usr/bin/catatonit";

        @AttributeDefinition(description = "Seconds an exec, attach or port-forward connection may pass without traffic"
                + " before it is closed (containerd's stream_idle_timeout, 4 h); 0 for never")
        int stream_idle_timeout_seconds() default 14_400;
    }

    private final RuntimeHandlers handlers = new RuntimeHandlers();
    // The registry tracks every Plugin, this component included: a static reference would make a
    // cycle SCR cannot activate, so it is followed dynamically and read when ImageFsInfo asks.
    private volatile PluginRegistry plugins;
    private final CriServer server;
    private final ContainerEvents events;
    private final StreamingServer streaming;
    private final ServiceRegistration<EventHandler> eventHandler;

    @Activate
    public CriFrontend(Config config, BundleContext context, @Reference Daemon daemon,
                       @Reference ComponentServiceObjects<ImageService> imageServices, @Reference ImageStore imageStore,
                       @Reference ContentStore content, @Reference GarbageCollector collector,
                       @Reference Snapshotters snapshotters, @Reference SandboxStore sandboxes,
                       @Reference ContainerService containerService) throws IOException {
        if (config.stream_idle_timeout_seconds() < 0) {
            throw new IllegalArgumentException("stream_idle_timeout_seconds must be 0 (never) or more, not "
                    + config.stream_idle_timeout_seconds());
        }
        CriSettings settings = new CriSettings(
                config.socket().isEmpty() ? daemon.state().resolve("cri.sock") : Path.of(config.socket()),
                config.streaming_address(), config.default_runtime_handler(), Path.of(config.cni_conf_dir()),
                Arrays.stream(config.cni_bin_dir().split(":")).filter(d -> !d.isBlank()).map(Path::of).toList());
        CriImageService.Storage storage = new CriImageService.Storage() {
            @Override
            public Snapshotter snapshotter() throws IOException {
                return snapshotters.get("");
            }

            @Override
            public Path snapshotterRoot() {
                return CriFrontend.this.snapshotterRoot(daemon, snapshotters.defaultId());
            }

            @Override
            public Path contentRoot() {
                return daemon.root().resolve("content");
            }
        };
        Platform platform = Platform.host();
        // the image service is got by the first call that needs it: started, it holds ~10 MiB (its
        // registry client among it) that a node without kubelet's calls need not pay for
        Supplier<ImageService> imageService = imageServices::getService;
        CriImages criImages = new CriImages(imageStore, imageService, content, platform);
        CriImageService images = new CriImageService(criImages,
                imageService, imageStore, content, collector, storage, PullOptions.defaults().withPlatform(platform));
        PodSandboxes pods = new PodSandboxes(sandboxes, daemon.state().resolve("pods"), settings.cniConfDirectory(),
                new Cni(settings.cniPluginDirectories()), Path.of("/etc/resolv.conf"), Path.of(config.pause_binary()));
        Path pluginRoot = daemon.pluginRoot(PluginType.FRONTEND, "cri");
        PodContainers containers = new PodContainers(containerService, pods, criImages, pluginRoot.resolve("starts"),
                daemon.state().resolve("cri-exec"));
        pods.containers(containers);
        ContainerStatistics statistics = new ContainerStatistics(containers, pods, containerService, snapshotters,
                id -> snapshotterRoot(daemon, id));
        this.events = new ContainerEvents(containerService, containers, pods);
        this.eventHandler = context.registerService(EventHandler.class,
                event -> events.kernelEvent(event.getTopic(), ContainerEvents.containerId(properties(event)),
                        event.getProperty(EventProperties.TIMESTAMP) instanceof Long millis ? Instant.ofEpochMilli(millis) : Instant.now()),
                new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, ContainerEvents.TYPES.keySet().toArray(String[]::new))));
        this.streaming = StreamingServer.start(StreamingServer.parseAddress(settings.streamingAddress()),
                new ContainerStreams(containers, pods), Duration.ofSeconds(config.stream_idle_timeout_seconds()));
        CriRuntimeService runtime = new CriRuntimeService(semver(context.getBundle().getVersion()), handlers, settings, pods,
                containers, statistics, events, streaming);
        this.server = CriServer.start(settings.socket(), List.of(runtime.definition(), images.bindService()));
    }

    private static Map<String, Object> properties(Event event) {
        Map<String, Object> properties = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            properties.put(name, event.getProperty(name));
        }
        return properties;
    }

    /** Where a snapshotter keeps its data: the root it reports, else its default under the daemon's root. */
    private Path snapshotterRoot(Daemon daemon, String id) {
        PluginRegistry registry = plugins;
        return Optional.ofNullable(registry).flatMap(r -> r.plugin(PluginType.SNAPSHOTTER, id))
                .map(p -> p.exports().get("root"))
                .map(Path::of)
                .orElse(daemon.pluginRoot(PluginType.SNAPSHOTTER, id));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Runtime.RUNTIME_PROPERTY + "=*)")
    void addRuntime(Runtime runtime, Map<String, Object> properties) {
        handlers.add(runtime, String.valueOf(properties.get(Runtime.RUNTIME_PROPERTY)));
    }

    void removeRuntime(Runtime runtime) {
        handlers.remove(runtime);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setPlugins(PluginRegistry registry) {
        this.plugins = registry;
    }

    void unsetPlugins(PluginRegistry registry) {
        if (this.plugins == registry) {
            this.plugins = null;
        }
    }

    @Deactivate
    void stop() throws IOException {
        eventHandler.unregister();
        events.close();
        server.close();
        streaming.close();
    }

    @Override
    public PluginStatus status() {
        return PluginStatus.OK;
    }

    @Override
    public URI endpoint() {
        return URI.create("unix://" + server.socket());
    }

    /** An OSGi version as semantic versioning writes it: {@code 0.1.0.SNAPSHOT} is {@code 0.1.0-SNAPSHOT}. */
    static String semver(Version version) {
        String base = version.getMajor() + "." + version.getMinor() + "." + version.getMicro();
        return version.getQualifier().isEmpty() ? base : base + "-" + version.getQualifier();
    }
}
