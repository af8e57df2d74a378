package io.hawser.cri;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.hawser.cri.api.v1.CgroupDriver;
import io.hawser.cri.api.v1.LinuxRuntimeConfiguration;
import io.hawser.cri.api.v1.RuntimeCondition;
import io.hawser.cri.api.v1.RuntimeConfigRequest;
import io.hawser.cri.api.v1.RuntimeConfigResponse;
import io.hawser.cri.api.v1.RuntimeFeatures;
import io.hawser.cri.api.v1.RuntimeHandler;
import io.hawser.cri.api.v1.RuntimeHandlerFeatures;
import io.hawser.cri.api.v1.RuntimeServiceGrpc;
import io.hawser.cri.api.v1.RuntimeStatus;
import io.hawser.cri.api.v1.StatusRequest;
import io.hawser.cri.api.v1.StatusResponse;
import io.hawser.cri.api.v1.VersionRequest;
import io.hawser.cri.api.v1.VersionResponse;

/**
 * The CRI RuntimeService as far as it is built: version, status with the runtime handlers that
 * serve now, and the runtime configuration. Pods, containers, streaming and stats come next; until
 * then {@link #definition()} answers their methods "not implemented yet".
 */
final class CriRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {

    /** The methods served; every other one of the service is pending. */
    static final Set<String> SERVED = Set.of("Version", "Status", "RuntimeConfig");

    /** The CRI version kubelet's remote runtime asks with and runtimes answer. */
    static final String KUBELET_API_VERSION = "0.1.0";
    static final String RUNTIME_NAME = "hawser";
    static final String RUNTIME_API_VERSION = "v1";

    static final String RUNTIME_READY = "RuntimeReady";
    static final String NETWORK_READY = "NetworkReady";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runtimeVersion;
    private final RuntimeHandlers handlers;
    private final CriSettings settings;

    CriRuntimeService(String runtimeVersion, RuntimeHandlers handlers, CriSettings settings) {
        this.runtimeVersion = runtimeVersion;
        this.handlers = handlers;
        this.settings = settings;
    }

    /** The service as the server binds it, pending methods included. */
    ServerServiceDefinition definition() {
        return Pending.only(bindService(), SERVED);
    }

    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> observer) {
        Calls.unary(observer, () -> VersionResponse.newBuilder()
                .setVersion(KUBELET_API_VERSION)
                .setRuntimeName(RUNTIME_NAME)
                .setRuntimeVersion(runtimeVersion)
                .setRuntimeApiVersion(RUNTIME_API_VERSION)
                .build());
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Calls.unary(observer, () -> status(request.getVerbose()));
    }

    StatusResponse status(boolean verbose) throws JsonProcessingException {
        String defaultHandler = settings.defaultRuntimeHandler();
        boolean runtimeReady = handlers.has(defaultHandler);
        RuntimeCondition runtime = RuntimeCondition.newBuilder()
                .setType(RUNTIME_READY)
                .setStatus(runtimeReady)
                .setReason(runtimeReady ? "" : "DefaultRuntimeHandlerMissing")
                .setMessage(runtimeReady ? "" : "no runtime plugin serves the default handler '" + defaultHandler
                        + "' (serving: " + handlers.names() + ")")
                .build();
        // honest until pod networking exists: kubelet then runs only host-network pods
        RuntimeCondition network = RuntimeCondition.newBuilder()
                .setType(NETWORK_READY)
                .setStatus(false)
                .setReason("NetworkPluginNotReady")
                .setMessage("Hawser has no CNI pod networking yet")
                .build();
        StatusResponse.Builder response = StatusResponse.newBuilder()
                .setStatus(RuntimeStatus.newBuilder().addConditions(runtime).addConditions(network))
                .setFeatures(RuntimeFeatures.newBuilder());
        if (runtimeReady) {
            // the empty name stands for the default handler
            response.addRuntimeHandlers(handler(""));
        }
        handlers.names().forEach(name -> response.addRuntimeHandlers(handler(name)));
        if (verbose) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("defaultRuntimeHandler", defaultHandler);
            config.put("runtimeHandlers", handlers.names());
            config.put("cgroupDriver", "cgroupfs");
            config.put("streamingAddress", settings.streamingAddress());
            response.putInfo("config", JSON.writeValueAsString(config));
        }
        return response.build();
    }

    private static RuntimeHandler handler(String name) {
        // recursive read-only mounts and user namespaces are not offered yet
        return RuntimeHandler.newBuilder().setName(name).setFeatures(RuntimeHandlerFeatures.newBuilder()).build();
    }

    @Override
    public void runtimeConfig(RuntimeConfigRequest request, StreamObserver<RuntimeConfigResponse> observer) {
        // Hawser writes cgroup paths itself, under the cgroupfs hierarchy, on v1 and v2 alike
        Calls.unary(observer, () -> RuntimeConfigResponse.newBuilder()
                .setLinux(LinuxRuntimeConfiguration.newBuilder().setCgroupDriver(CgroupDriver.CGROUPFS))
                .build());
    }
}
