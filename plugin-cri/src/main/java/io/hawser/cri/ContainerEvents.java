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
 * go to every open stream in the order the kernel published them. Containers made by other
 * frontends (the CLI's) have no events here: which containers are CRI's is read from their labels
 * when they are created (and from the records there are when the frontend starts), and remembered
 * until they are deleted, since a deleted container has no labels left to read.
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
    /** The ids of the CRI's containers that exist; changed only on the sender thread, in the kernel's order. */
    private final Set<String> criContainers = ConcurrentHashMap.newKeySet();
    // one thread keeps the kernel's order; building a status must not hold up the event publisher
    private final ExecutorService sender = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("cri-events").factory());

    ContainerEvents(ContainerService service, PodContainers containers, PodSandboxes pods) throws IOException {
        this.service = service;
        this.containers = containers;
        this.pods = pods;
        for (Container container : service.list()) {
            if (isCri(container)) {
                criContainers.add(container.id());
            }
        }
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
        if (type == null || containerId == null) {
            return;
        }
        sender.execute(() -> {
            if (isCriEvent(type, containerId) && !streams.isEmpty()) {
                send(type, containerId, at);
            }
        });
    }

    /** Whether the event is about a CRI container, keeping {@link #criContainers} up to date. */
    private boolean isCriEvent(ContainerEventType type, String containerId) {
        return switch (type) {
            case CONTAINER_CREATED_EVENT -> {
                try {
                    if (service.find(containerId).filter(ContainerEvents::isCri).isPresent()) {
                        criContainers.add(containerId);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, "container " + containerId + " not readable for its create event", e);
                }
                yield criContainers.contains(containerId);
            }
            case CONTAINER_DELETED_EVENT -> criContainers.remove(containerId);
            default -> criContainers.contains(containerId);
        };
    }

    private static boolean isCri(Container container) {
        return container.labels().containsKey(PodContainers.META_LABEL);
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
