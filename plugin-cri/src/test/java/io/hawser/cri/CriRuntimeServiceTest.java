package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.hawser.cri.api.v1.CgroupDriver;
import io.hawser.cri.api.v1.RuntimeCondition;
import io.hawser.cri.api.v1.RuntimeConfigRequest;
import io.hawser.cri.api.v1.RuntimeHandler;
import io.hawser.cri.api.v1.RuntimeServiceGrpc;
import io.hawser.cri.api.v1.StatusRequest;
import io.hawser.cri.api.v1.StatusResponse;
import io.hawser.cri.api.v1.VersionRequest;
import io.hawser.cri.api.v1.VersionResponse;
import io.hawser.runtime.CreateTaskRequest;
import io.hawser.runtime.Runtime;
import io.hawser.runtime.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.hawser.cri.cni.Cni;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class CriRuntimeServiceTest {

    private final RuntimeHandlers handlers = new RuntimeHandlers();
    private final CriSettings settings = new CriSettings(Path.of("/run/hawser/cri.sock"), "127.0.0.1:0", "runc",
            Path.of("/nonexistent/net.d"), List.of());
    private final CriRuntimeService service = new CriRuntimeService("1.2.3", handlers, settings,
            new PodSandboxes(new MemorySandboxStore(), Path.of("/nonexistent"), settings.cniConfDirectory(), new Cni(List.of()), Path.of("/nonexistent"),
                    Path.of("/nonexistent")), null, null, null, null);
    private InProcess served;
    private ManagedChannel channel;
    private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub;

    @BeforeEach
    void serve() throws Exception {
        served = new InProcess(service.definition());
        channel = served.channel;
        stub = RuntimeServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        served.close();
    }

    @Test
    void version() {
        VersionResponse version = stub.version(VersionRequest.newBuilder().setVersion("0.1.0").build());
        assertEquals("0.1.0", version.getVersion());
        assertEquals("hawser", version.getRuntimeName());
        assertEquals("1.2.3", version.getRuntimeVersion());
        assertEquals("v1", version.getRuntimeApiVersion());
    }

    @Test
    void bundleVersionsAreWrittenAsSemanticVersions() {
        assertEquals("0.1.0-SNAPSHOT", CriFrontend.semver(Version.parseVersion("0.1.0.SNAPSHOT")));
        assertEquals("1.2.3", CriFrontend.semver(Version.parseVersion("1.2.3")));
    }

    @Test
    void statusFollowsRuntimeHandlersAsTheyComeAndGo() {
        StatusResponse none = stub.status(StatusRequest.getDefaultInstance());
        RuntimeCondition runtimeReady = none.getStatus().getConditions(0);
        assertEquals("RuntimeReady", runtimeReady.getType());
        assertFalse(runtimeReady.getStatus());
        assertTrue(runtimeReady.getMessage().contains("'runc'"), runtimeReady.getMessage());
        assertEquals(0, none.getRuntimeHandlersCount());
        assertTrue(none.getInfoMap().isEmpty());

        Runtime runc = proxy();
        Runtime kata = proxy();
        handlers.add(runc, "runc");
        handlers.add(kata, "kata");
        StatusResponse both = stub.status(StatusRequest.newBuilder().setVerbose(true).build());
        assertTrue(both.getStatus().getConditions(0).getStatus());
        assertEquals(List.of("", "kata", "runc"), both.getRuntimeHandlersList().stream().map(RuntimeHandler::getName).toList());
        assertTrue(both.getInfoMap().get("config").contains("\"cgroupDriver\":\"cgroupfs\""), both.getInfoMap().toString());

        handlers.remove(runc);
        StatusResponse kataOnly = stub.status(StatusRequest.getDefaultInstance());
        assertFalse(kataOnly.getStatus().getConditions(0).getStatus());
        assertEquals(List.of("kata"), kataOnly.getRuntimeHandlersList().stream().map(RuntimeHandler::getName).toList());
    }

    @Test
    void networkIsHonestlyNotReady() {
        RuntimeCondition network = stub.status(StatusRequest.getDefaultInstance()).getStatus().getConditions(1);
        assertEquals("NetworkReady", network.getType());
        assertFalse(network.getStatus());
        assertEquals("NetworkPluginNotReady", network.getReason());
    }

    @Test
    void runtimeConfigNamesTheCgroupfsDriver() {
        assertEquals(CgroupDriver.CGROUPFS, stub.runtimeConfig(RuntimeConfigRequest.getDefaultInstance()).getLinux().getCgroupDriver());
    }

    @Test
    void everyOtherMethodSaysItIsNotImplementedYet() {
        List<String> pending = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.definition().getMethods()) {
            MethodDescriptor<?, ?> descriptor = method.getMethodDescriptor();
            if (CriRuntimeService.SERVED.contains(descriptor.getBareMethodName())) {
                continue;
            }
            pending.add(descriptor.getBareMethodName());
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> call(descriptor));
            assertEquals(Status.Code.UNIMPLEMENTED, refused.getStatus().getCode(), descriptor.getFullMethodName());
            assertEquals("CRI " + descriptor.getFullMethodName() + " is not implemented yet in Hawser", refused.getStatus().getDescription());
        }
        // every method of the protocol is either served or pending
        assertEquals(RuntimeServiceGrpc.getServiceDescriptor().getMethods().size(), pending.size() + CriRuntimeService.SERVED.size());
        // checkpointing needs CRIU, which no runtime plugin offers yet
        assertEquals(List.of("CheckpointContainer"), pending);
    }

    /** Calls a method with an empty request, reading a streamed answer to its end. */
    @SuppressWarnings("unchecked")
    private <Q, R> void call(MethodDescriptor<Q, R> method) {
        Q request = (Q) ((MethodDescriptor.PrototypeMarshaller<Q>) method.getRequestMarshaller()).getMessagePrototype();
        if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
            ClientCalls.blockingServerStreamingCall(channel, method, CallOptions.DEFAULT, request).forEachRemaining(r -> { });
        } else {
            ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
        }
        assertTrue(request instanceof Message);
    }

    /** A runtime serving a handler name and nothing else. */
    static Runtime proxy() {
        return new Runtime() {
            @Override
            public Task create(CreateTaskRequest request) {
                throw new UnsupportedOperationException("no tasks in this test");
            }

            @Override
            public List<Task> tasks() {
                return List.of();
            }

            @Override
            public Optional<Task> task(String id) {
                return Optional.empty();
            }
        };
    }
}
