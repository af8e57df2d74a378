package io.hawser.cri;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.cri.api.v1.ContainerEventResponse;
import io.hawser.cri.api.v1.ContainerEventType;
import io.hawser.cri.api.v1.ContainerFilter;
import io.hawser.events.EventProperties;
import io.hawser.events.Topics;

/**
 * {@code GetContainerEvents}: kubelet's evented PLEG. The kernel's container and task events of
 * CRI containers become CRI container events, each with the container's status and its pod's, and
 * go to every open stream in the order the kernel published them.
 */
final class ContainerEvents {

    private static final System.Logger LOG = System.getLogger(ContainerEvents.class.getName());

    /** The kernel topics that are CRI container events. */
    static final Map<String, ContainerEventType> TYPES = Map.of(
            Topics.CONTAINER_CREATE, ContainerEventType.CONTAINER_CREATED_EVENT,
            Topics.TASK_START, ContainerEventType.CONTAINER_STARTED_EVENT,
            Topics.TASK_EXIT, ContainerEventType.CONTAINER_STOPPED_EVENT,
            Topics.CONTAINER_DELETE, ContainerEventType.CONTAINER_DELETED_EVENT);

    private final ContainerService service;
    private final PodContainers containers;
    private final PodSandboxes pods;
    private final Set<StreamObserver<ContainerEventResponse>> streams = ConcurrentHashMap.newKeySet();
    // one thread keeps the kernel's order; building a status must not hold up the event publisher
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("cri-events").factory());

    ContainerEvents(ContainerService service, PodContainers containers, PodSandboxes pods) {
        this.service = service;
        this.containers = containers;
        this.pods = pods;
    }

    /** Opens a stream: it gets every event from now until the client cancels it. */
    void subscribe(StreamObserver<ContainerEventResponse> observer) {
        streams.add(observer);
        if (observer instanceof ServerCallStreamObserver<ContainerEventResponse> call) {
            call.setOnCancelHandler(() -> streams.remove(observer));
        }
    }

    /** Takes a kernel event; those not about a CRI container are ignored. */
    void kernelEvent(String topic, String containerId, Instant at) {
        ContainerEventType type = TYPES.get(topic);
        if (type == null || containerId == null || streams.isEmpty()) {
            return;
        }
        sender.execute(() -> send(type, containerId, at));
    }

    /** The container an event property names: a task event names its container, a container event itself. */
    static String containerId(Map<String, Object> properties) {
        Object id = properties.getOrDefault(EventProperties.CONTAINER_ID, properties.get(EventProperties.ID));
        return id == null ? null : id.toString();
    }

    private void send(ContainerEventType type, String containerId, Instant at) {
        ContainerEventResponse.Builder event = ContainerEventResponse.newBuilder()
                .setContainerId(containerId)
                .setContainerEventType(type)
                .setCreatedAt(at.getEpochSecond() * 1_000_000_000L + at.getNano());
        try {
            Optional<Container> container = service.find(containerId);
            if (container.isPresent()) {
                if (!container.get().labels().containsKey(PodContainers.META_LABEL)) {
                    return;
                }
                String pod = containers.meta(container.get()).pod();
                event.setPodSandboxStatus(pods.status(pod, false).getStatus());
                for (io.hawser.cri.api.v1.Container member : containers.list(ContainerFilter.newBuilder().setPodSandboxId(pod).build())) {
                    service.find(member.getId()).ifPresent(c -> {
                        try {
                            event.addContainersStatuses(containers.statusOf(c));
                        } catch (IOException e) {
                            LOG.log(System.Logger.Level.DEBUG, "container " + c.id() + " went while its pod's event was made", e);
                        }
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            // the event still goes out: kubelet then asks for the status itself
            LOG.log(System.Logger.Level.DEBUG, "status for the event of container " + containerId + " not available", e);
        }
        ContainerEventResponse response = event.build();
        for (StreamObserver<ContainerEventResponse> stream : streams) {
            try {
                stream.onNext(response);
            } catch (RuntimeException e) {
                streams.remove(stream);
            }
        }
    }

    /** Ends every stream, when the frontend stops. */
    void close() {
        sender.shutdownNow();
        streams.forEach(stream -> {
            try {
                stream.onCompleted();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "event stream already gone", e);
            }
        });
        streams.clear();
    }
}
