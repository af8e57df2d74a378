package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.stub.StreamObserver;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.cri.api.v1.ContainerEventResponse;
import io.hawser.cri.api.v1.ContainerEventType;
import io.hawser.events.Topics;
import org.junit.jupiter.api.Test;

/** Which kernel events become CRI container events: those of CRI containers only, deletions included. */
class ContainerEventsTest {

    private static final String CRI_OLD = "a".repeat(64);
    private static final String CLI_OLD = "b".repeat(64);
    private static final String CRI_NEW = "c".repeat(64);
    private static final String CLI_NEW = "d".repeat(64);

    private final Map<String, Container> records = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<ContainerEventResponse> sent = new LinkedBlockingQueue<>();

    private static Container container(String id, boolean cri) {
        return new Container(id, id.substring(0, 12), "busybox", "runc", "overlay", id, "{}", Path.of("/dev/null"),
                false, false, false, 15, cri ? Map.of(PodContainers.META_LABEL, "{}") : Map.of(), Instant.EPOCH);
    }

    /** The container service as far as events need it: its records. */
    private ContainerService service() {
        return (ContainerService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ContainerService.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "list" -> List.copyOf(records.values());
                    case "find" -> Optional.ofNullable(records.get((String) args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private StreamObserver<ContainerEventResponse> recorder() {
        return new StreamObserver<>() {
            @Override
            public void onNext(ContainerEventResponse value) {
                sent.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private ContainerEventResponse next() throws InterruptedException {
        ContainerEventResponse event = sent.poll(10, TimeUnit.SECONDS);
        assertTrue(event != null, "no event sent");
        return event;
    }

    @Test
    void deletionsOfCriContainersAreSentAndThoseOfOtherFrontendsAreNot() throws Exception {
        records.put(CRI_OLD, container(CRI_OLD, true));
        records.put(CLI_OLD, container(CLI_OLD, false));
        ContainerEvents events = new ContainerEvents(service(), null, null);
        events.subscribe(recorder());
        try {
            // records gone before their events arrive, as after a delete; the older ones were there at the start
            records.clear();
            events.kernelEvent(Topics.CONTAINER_DELETE, CLI_OLD, Instant.now());
            events.kernelEvent(Topics.CONTAINER_DELETE, CRI_OLD, Instant.now());
            ContainerEventResponse deleted = next();
            assertEquals(CRI_OLD, deleted.getContainerId());
            assertEquals(ContainerEventType.CONTAINER_DELETED_EVENT, deleted.getContainerEventType());

            // made while the frontend runs: known from their create events
            records.put(CLI_NEW, container(CLI_NEW, false));
            records.put(CRI_NEW, container(CRI_NEW, true));
            events.kernelEvent(Topics.CONTAINER_CREATE, CLI_NEW, Instant.now());
            events.kernelEvent(Topics.CONTAINER_CREATE, CRI_NEW, Instant.now());
            // the create event went out although its pod could not be read (no PodContainers here)
            ContainerEventResponse created = next();
            assertEquals(List.of(CRI_NEW, ContainerEventType.CONTAINER_CREATED_EVENT),
                    List.of(created.getContainerId(), created.getContainerEventType()));
            records.clear();
            events.kernelEvent(Topics.TASK_EXIT, CLI_NEW, Instant.now());
            events.kernelEvent(Topics.CONTAINER_DELETE, CLI_NEW, Instant.now());
            events.kernelEvent(Topics.CONTAINER_DELETE, CRI_NEW, Instant.now());
            ContainerEventResponse deletedNew = next();
            assertEquals(List.of(CRI_NEW, ContainerEventType.CONTAINER_DELETED_EVENT),
                    List.of(deletedNew.getContainerId(), deletedNew.getContainerEventType()));
            // a second deletion of the same id is not CRI's any more
            events.kernelEvent(Topics.CONTAINER_DELETE, CRI_NEW, Instant.now());
            events.kernelEvent(Topics.CONTAINER_DELETE, CRI_OLD, Instant.now());
            assertEquals(null, sent.poll(300, TimeUnit.MILLISECONDS));
        } finally {
            events.close();
        }
    }
}
