package io.hawser.cri;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import io.hawser.cri.api.v1.RunPodSandboxRequest;
import io.hawser.cri.api.v1.RunPodSandboxResponse;
import io.hawser.cri.api.v1.StopPodSandboxRequest;
import io.hawser.cri.api.v1.StopPodSandboxResponse;
import io.hawser.cri.api.v1.RemovePodSandboxRequest;
import io.hawser.cri.api.v1.RemovePodSandboxResponse;
import io.hawser.cri.api.v1.PodSandboxStatusRequest;
import io.hawser.cri.api.v1.PodSandboxStatusResponse;
import io.hawser.cri.api.v1.ListPodSandboxRequest;
import io.hawser.cri.api.v1.ListPodSandboxResponse;
import io.hawser.cri.api.v1.StreamPodSandboxesRequest;
import io.hawser.cri.api.v1.StreamPodSandboxesResponse;
import io.hawser.cri.api.v1.ExecResponse;
import io.hawser.cri.api.v1.AttachRequest;
import io.hawser.cri.api.v1.AttachResponse;
import io.hawser.cri.api.v1.PortForwardRequest;
import io.hawser.cri.api.v1.PortForwardResponse;
import io.hawser.cri.api.v1.PodSandboxStatsRequest;
import io.hawser.cri.api.v1.PodSandboxStatsResponse;
import io.hawser.cri.api.v1.ListPodSandboxStatsRequest;
import io.hawser.cri.api.v1.ListPodSandboxStatsResponse;
import io.hawser.cri.api.v1.StreamPodSandboxStatsRequest;
import io.hawser.cri.api.v1.StreamPodSandboxStatsResponse;
import io.hawser.cri.api.v1.GetEventsRequest;
import io.hawser.cri.api.v1.ContainerEventResponse;
import io.hawser.cri.api.v1.ListMetricDescriptorsRequest;
import io.hawser.cri.api.v1.ListMetricDescriptorsResponse;
import io.hawser.cri.api.v1.ListPodSandboxMetricsRequest;
import io.hawser.cri.api.v1.ListPodSandboxMetricsResponse;
import io.hawser.cri.api.v1.StreamPodSandboxMetricsRequest;
import io.hawser.cri.api.v1.StreamPodSandboxMetricsResponse;
import io.hawser.cri.api.v1.UpdatePodSandboxResourcesRequest;
import io.hawser.cri.api.v1.UpdatePodSandboxResourcesResponse;
import io.hawser.cri.api.v1.UpdateRuntimeConfigRequest;
import io.hawser.cri.api.v1.UpdateRuntimeConfigResponse;
import io.hawser.cri.api.v1.CreateContainerRequest;
import io.hawser.cri.api.v1.CreateContainerResponse;
import io.hawser.cri.api.v1.StartContainerRequest;
import io.hawser.cri.api.v1.StartContainerResponse;
import io.hawser.cri.api.v1.StopContainerRequest;
import io.hawser.cri.api.v1.StopContainerResponse;
import io.hawser.cri.api.v1.RemoveContainerRequest;
import io.hawser.cri.api.v1.RemoveContainerResponse;
import io.hawser.cri.api.v1.ListContainersRequest;
import io.hawser.cri.api.v1.ListContainersResponse;
import io.hawser.cri.api.v1.StreamContainersRequest;
import io.hawser.cri.api.v1.StreamContainersResponse;
import io.hawser.cri.api.v1.ContainerStatusRequest;
import io.hawser.cri.api.v1.ContainerStatusResponse;
import io.hawser.cri.api.v1.UpdateContainerResourcesRequest;
import io.hawser.cri.api.v1.UpdateContainerResourcesResponse;
import io.hawser.cri.api.v1.ReopenContainerLogRequest;
import io.hawser.cri.api.v1.ReopenContainerLogResponse;
import io.hawser.cri.api.v1.ExecSyncRequest;
import io.hawser.cri.api.v1.ExecSyncResponse;
import io.hawser.cri.api.v1.ContainerStatsRequest;
import io.hawser.cri.api.v1.ContainerStatsResponse;
import io.hawser.cri.api.v1.ListContainerStatsRequest;
import io.hawser.cri.api.v1.ListContainerStatsResponse;
import io.hawser.cri.api.v1.StreamContainerStatsRequest;
import io.hawser.cri.api.v1.StreamContainerStatsResponse;
import io.hawser.cri.cni.NetworkConfig;
import io.hawser.cri.streaming.StreamRequest;
import io.hawser.cri.streaming.StreamingServer;
import io.hawser.errors.HawserException;

/**
 * The CRI RuntimeService as far as it is built: version, status with the runtime handlers that
 * serve now, the runtime configuration, and pod sandboxes ({@link PodSandboxes}). Containers,
 * streaming and stats come next; until
 * then {@link #definition()} answers their methods "not implemented yet".
 */
final class CriRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {

    /** The methods served; every other one of the service is pending. */
    static final Set<String> SERVED = Set.of("Version", "Status", "RuntimeConfig", "UpdateRuntimeConfig",
            "RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus", "ListPodSandbox",
            "StreamPodSandboxes", "CreateContainer", "StartContainer", "StopContainer", "RemoveContainer",
            "ListContainers", "StreamContainers", "ContainerStatus", "UpdateContainerResources", "ReopenContainerLog",
            "ExecSync", "ContainerStats", "ListContainerStats", "StreamContainerStats", "PodSandboxStats",
            "ListPodSandboxStats", "StreamPodSandboxStats", "GetContainerEvents", "ListMetricDescriptors",
            "ListPodSandboxMetrics", "StreamPodSandboxMetrics", "UpdatePodSandboxResources", "Exec", "Attach",
            "PortForward");

    /** How many pods one message of {@code StreamPodSandboxes} carries. */
    static final int STREAM_BATCH = 100;

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
    private final PodSandboxes pods;
    private final PodContainers containers;
    private final ContainerStatistics statistics;
    private final ContainerEvents events;
    private final StreamingServer streaming;

    CriRuntimeService(String runtimeVersion, RuntimeHandlers handlers, CriSettings settings, PodSandboxes pods,
                      PodContainers containers, ContainerStatistics statistics, ContainerEvents events,
                      StreamingServer streaming) {
        this.runtimeVersion = runtimeVersion;
        this.handlers = handlers;
        this.settings = settings;
        this.pods = pods;
        this.containers = containers;
        this.statistics = statistics;
        this.events = events;
        this.streaming = streaming;
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

    StatusResponse status(boolean verbose) throws IOException {
        String defaultHandler = settings.defaultRuntimeHandler();
        boolean runtimeReady = handlers.has(defaultHandler);
        RuntimeCondition runtime = RuntimeCondition.newBuilder()
                .setType(RUNTIME_READY)
                .setStatus(runtimeReady)
                .setReason(runtimeReady ? "" : "DefaultRuntimeHandlerMissing")
                .setMessage(runtimeReady ? "" : "no runtime plugin serves the default handler '" + defaultHandler
                        + "' (serving: " + handlers.names() + ")")
                .build();
        // without a CNI configuration kubelet runs only host-network pods
        Optional<NetworkConfig> cni = pods.network();
        RuntimeCondition network = RuntimeCondition.newBuilder()
                .setType(NETWORK_READY)
                .setStatus(cni.isPresent())
                .setReason(cni.isPresent() ? "" : "NetworkPluginNotReady")
                .setMessage(cni.isPresent() ? "" : "no CNI network configuration in " + pods.cniConfDirectory())
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
            config.put("streamingAddress", streaming == null ? settings.streamingAddress() : streaming.address().toString());
            config.put("cniConfDir", settings.cniConfDirectory().toString());
            config.put("cniBinDirs", settings.cniPluginDirectories().stream().map(Object::toString).toList());
            config.put("cniNetwork", cni.map(NetworkConfig::name).orElse(""));
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

    @Override
    public void runPodSandbox(RunPodSandboxRequest request, StreamObserver<RunPodSandboxResponse> observer) {
        Calls.unary(observer, () -> {
            String handler = request.getRuntimeHandler().isEmpty() ? settings.defaultRuntimeHandler() : request.getRuntimeHandler();
            if (!handlers.has(handler)) {
                throw HawserException.notFound("runtime handler '" + handler + "' (serving: " + handlers.names() + ")");
            }
            return RunPodSandboxResponse.newBuilder().setPodSandboxId(pods.run(request.getConfig(), handler)).build();
        });
    }

    @Override
    public void stopPodSandbox(StopPodSandboxRequest request, StreamObserver<StopPodSandboxResponse> observer) {
        Calls.unary(observer, () -> {
            pods.stop(request.getPodSandboxId());
            return StopPodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void removePodSandbox(RemovePodSandboxRequest request, StreamObserver<RemovePodSandboxResponse> observer) {
        Calls.unary(observer, () -> {
            pods.remove(request.getPodSandboxId());
            return RemovePodSandboxResponse.getDefaultInstance();
        });
    }

    @Override
    public void podSandboxStatus(PodSandboxStatusRequest request, StreamObserver<PodSandboxStatusResponse> observer) {
        Calls.unary(observer, () -> pods.status(request.getPodSandboxId(), request.getVerbose()));
    }

    @Override
    public void listPodSandbox(ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> observer) {
        Calls.unary(observer, () -> ListPodSandboxResponse.newBuilder().addAllItems(pods.list(request.getFilter())).build());
    }

    @Override
    public void streamPodSandboxes(StreamPodSandboxesRequest request, StreamObserver<StreamPodSandboxesResponse> observer) {
        Calls.batches(observer, () -> pods.list(request.getFilter()), STREAM_BATCH,
                batch -> StreamPodSandboxesResponse.newBuilder().addAllPodSandboxes(batch).build());
    }

    @Override
    public void updateRuntimeConfig(UpdateRuntimeConfigRequest request, StreamObserver<UpdateRuntimeConfigResponse> observer) {
        // kubelet sends the pod CIDR here; the CNI configuration already fixes the pod network's
        // addresses, as with containerd's CNI setups, so there is nothing to change
        Calls.unary(observer, UpdateRuntimeConfigResponse::getDefaultInstance);
    }

    @Override
    public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        Calls.unary(observer, () -> CreateContainerResponse.newBuilder()
                .setContainerId(containers.create(request.getPodSandboxId(), request.getConfig(), request.getSandboxConfig()))
                .build());
    }

    @Override
    public void startContainer(StartContainerRequest request, StreamObserver<StartContainerResponse> observer) {
        Calls.unary(observer, () -> {
            containers.start(request.getContainerId());
            return StartContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void stopContainer(StopContainerRequest request, StreamObserver<StopContainerResponse> observer) {
        Calls.unary(observer, () -> {
            containers.stop(request.getContainerId(), request.getTimeout());
            return StopContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void removeContainer(RemoveContainerRequest request, StreamObserver<RemoveContainerResponse> observer) {
        Calls.unary(observer, () -> {
            containers.remove(request.getContainerId());
            return RemoveContainerResponse.getDefaultInstance();
        });
    }

    @Override
    public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        Calls.unary(observer, () -> ListContainersResponse.newBuilder()
                .addAllContainers(containers.list(request.getFilter())).build());
    }

    @Override
    public void streamContainers(StreamContainersRequest request, StreamObserver<StreamContainersResponse> observer) {
        Calls.batches(observer, () -> containers.list(request.getFilter()), STREAM_BATCH,
                batch -> StreamContainersResponse.newBuilder().addAllContainers(batch).build());
    }

    @Override
    public void containerStatus(ContainerStatusRequest request, StreamObserver<ContainerStatusResponse> observer) {
        Calls.unary(observer, () -> containers.status(request.getContainerId(), request.getVerbose()));
    }

    @Override
    public void updateContainerResources(UpdateContainerResourcesRequest request,
                                         StreamObserver<UpdateContainerResourcesResponse> observer) {
        Calls.unary(observer, () -> {
            containers.update(request.getContainerId(), request.getLinux());
            return UpdateContainerResourcesResponse.getDefaultInstance();
        });
    }

    @Override
    public void reopenContainerLog(ReopenContainerLogRequest request, StreamObserver<ReopenContainerLogResponse> observer) {
        Calls.unary(observer, () -> {
            containers.reopenLog(request.getContainerId());
            return ReopenContainerLogResponse.getDefaultInstance();
        });
    }

    @Override
    public void execSync(ExecSyncRequest request, StreamObserver<ExecSyncResponse> observer) {
        Calls.unary(observer, () -> containers.execSync(request.getContainerId(), request.getCmdList(), request.getTimeout()));
    }

    @Override
    public void containerStats(ContainerStatsRequest request, StreamObserver<ContainerStatsResponse> observer) {
        Calls.unary(observer, () -> ContainerStatsResponse.newBuilder()
                .setStats(statistics.of(request.getContainerId())).build());
    }

    @Override
    public void listContainerStats(ListContainerStatsRequest request, StreamObserver<ListContainerStatsResponse> observer) {
        Calls.unary(observer, () -> ListContainerStatsResponse.newBuilder()
                .addAllStats(statistics.list(request.getFilter())).build());
    }

    @Override
    public void streamContainerStats(StreamContainerStatsRequest request, StreamObserver<StreamContainerStatsResponse> observer) {
        Calls.batches(observer, () -> statistics.list(request.getFilter()), STREAM_BATCH,
                batch -> StreamContainerStatsResponse.newBuilder().addAllContainerStats(batch).build());
    }

    @Override
    public void podSandboxStats(PodSandboxStatsRequest request, StreamObserver<PodSandboxStatsResponse> observer) {
        Calls.unary(observer, () -> PodSandboxStatsResponse.newBuilder()
                .setStats(statistics.pod(request.getPodSandboxId())).build());
    }

    @Override
    public void listPodSandboxStats(ListPodSandboxStatsRequest request, StreamObserver<ListPodSandboxStatsResponse> observer) {
        Calls.unary(observer, () -> ListPodSandboxStatsResponse.newBuilder()
                .addAllStats(statistics.pods(request.getFilter())).build());
    }

    @Override
    public void streamPodSandboxStats(StreamPodSandboxStatsRequest request, StreamObserver<StreamPodSandboxStatsResponse> observer) {
        Calls.batches(observer, () -> statistics.pods(request.getFilter()), STREAM_BATCH,
                batch -> StreamPodSandboxStatsResponse.newBuilder().addAllPodSandboxStats(batch).build());
    }

    @Override
    public void getContainerEvents(GetEventsRequest request, StreamObserver<ContainerEventResponse> observer) {
        events.subscribe(observer);
    }

    // Hawser offers no metrics beyond the stats: kubelet's CRI metrics then come from the stats
    // calls, and an empty list says exactly that

    @Override
    public void listMetricDescriptors(ListMetricDescriptorsRequest request, StreamObserver<ListMetricDescriptorsResponse> observer) {
        Calls.unary(observer, ListMetricDescriptorsResponse::getDefaultInstance);
    }

    @Override
    public void listPodSandboxMetrics(ListPodSandboxMetricsRequest request, StreamObserver<ListPodSandboxMetricsResponse> observer) {
        Calls.unary(observer, ListPodSandboxMetricsResponse::getDefaultInstance);
    }

    @Override
    public void streamPodSandboxMetrics(StreamPodSandboxMetricsRequest request, StreamObserver<StreamPodSandboxMetricsResponse> observer) {
        Calls.batches(observer, java.util.List::<io.hawser.cri.api.v1.PodSandboxMetrics>of, STREAM_BATCH,
                batch -> StreamPodSandboxMetricsResponse.newBuilder().addAllPodSandboxMetrics(batch).build());
    }

    @Override
    public void updatePodSandboxResources(UpdatePodSandboxResourcesRequest request,
                                          StreamObserver<UpdatePodSandboxResourcesResponse> observer) {
        // pods have no cgroup of their own here (each container's is made under the pod's cgroup
        // parent, which kubelet sizes), so this notification changes nothing; the pod must exist
        Calls.unary(observer, () -> {
            if (pods.member(request.getPodSandboxId()).isEmpty()) {
                throw HawserException.notFound("pod sandbox " + request.getPodSandboxId());
            }
            return UpdatePodSandboxResourcesResponse.getDefaultInstance();
        });
    }

    // Exec, attach and port-forward answer with a URL of the streaming server, where the client
    // then upgrades to SPDY or WebSocket; the container or pod is checked here so a bad request
    // fails at once rather than at the upgrade

    @Override
    public void exec(io.hawser.cri.api.v1.ExecRequest request, StreamObserver<ExecResponse> observer) {
        Calls.unary(observer, () -> {
            if (request.getCmdCount() == 0) {
                throw Calls.invalid("cmd", "must not be empty");
            }
            containers.running(containers.container(request.getContainerId()));
            URI url = streaming.register(new StreamRequest.Exec(request.getContainerId(), request.getCmdList(), request.getTty(),
                    request.getStdin(), request.getStdout(), request.getStderr()));
            return ExecResponse.newBuilder().setUrl(url.toString()).build();
        });
    }

    @Override
    public void attach(AttachRequest request, StreamObserver<AttachResponse> observer) {
        Calls.unary(observer, () -> {
            containers.running(containers.container(request.getContainerId()));
            URI url = streaming.register(new StreamRequest.Attach(request.getContainerId(), request.getTty(), request.getStdin(),
                    request.getStdout(), request.getStderr()));
            return AttachResponse.newBuilder().setUrl(url.toString()).build();
        });
    }

    @Override
    public void portForward(PortForwardRequest request, StreamObserver<PortForwardResponse> observer) {
        Calls.unary(observer, () -> {
            PodSandboxes.Member pod = pods.member(request.getPodSandboxId())
                    .orElseThrow(() -> HawserException.notFound("pod sandbox " + request.getPodSandboxId()));
            if (!pod.pod().ready()) {
                throw HawserException.failedPrecondition("pod sandbox " + pod.id() + " is not ready");
            }
            URI url = streaming.register(new StreamRequest.PortForward(pod.id(), request.getPortList()));
            return PortForwardResponse.newBuilder().setUrl(url.toString()).build();
        });
    }
}
