package io.hawser.cri;

import java.util.Set;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;

/**
 * Marks the CRI methods Hawser does not serve yet. grpc's generated base class would answer them
 * with a bare "unimplemented"; kubelet and operators should instead read that the method is
 * planned and not yet there, so each pending method answers {@code UNIMPLEMENTED} saying so. The
 * README lists the pending methods.
 */
final class Pending {

    private Pending() {}

    /**
     * The service with every method whose bare name is not in {@code served} answering
     * {@code UNIMPLEMENTED} "… is not implemented yet".
     */
    static ServerServiceDefinition only(ServerServiceDefinition service, Set<String> served) {
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service.getServiceDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            add(builder, method, served.contains(method.getMethodDescriptor().getBareMethodName()));
        }
        return builder.build();
    }

    private static <Q, R> void add(ServerServiceDefinition.Builder builder, ServerMethodDefinition<Q, R> method, boolean served) {
        builder.addMethod(served ? method : pending(method));
    }

    private static <Q, R> ServerMethodDefinition<Q, R> pending(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        Status status = Status.UNIMPLEMENTED.withDescription(
                "CRI " + descriptor.getFullMethodName() + " is not implemented yet in Hawser");
        ServerCallHandler<Q, R> handler = (ServerCall<Q, R> call, Metadata headers) -> {
            call.close(status, new Metadata());
            return new ServerCall.Listener<>() { };
        };
        return ServerMethodDefinition.create(descriptor, handler);
    }
}
