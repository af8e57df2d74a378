package io.hawser.cri;

import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.hawser.errors.HawserException;

/**
 * Runs the body of a unary call and answers with its result or with the gRPC status its failure
 * stands for. Every CRI method goes through here, so one mapping decides what kubelet sees.
 */
final class Calls {

    /** The body of a call: computes the response, or throws. */
    @FunctionalInterface
    interface Body<T> {
        T call() throws IOException;
    }

    private Calls() {}

    /** Calls {@code body} and sends its response, or the status of its failure. */
    static <T> void unary(StreamObserver<T> observer, Body<T> body) {
        T response;
        try {
            response = body.call();
        } catch (IOException | RuntimeException e) {
            observer.onError(status(e).asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /**
     * Answers a list-streaming call: the list {@code body} computes sent in messages of at most
     * {@code batch} items each (so a long list never meets gRPC's message size limit), or the
     * status of its failure.
     */
    static <T, R> void batches(StreamObserver<R> observer, Body<List<T>> body, int batch, Function<List<T>, R> message) {
        List<T> all;
        try {
            all = body.call();
        } catch (IOException | RuntimeException e) {
            observer.onError(status(e).asRuntimeException());
            return;
        }
        for (int from = 0; from < all.size(); from += batch) {
            observer.onNext(message.apply(all.subList(from, Math.min(all.size(), from + batch))));
        }
        observer.onCompleted();
    }

    /**
     * The status a failure answers with: a {@link HawserException}'s code names the gRPC code
     * (see the kernel's {@code io.hawser.errors} package), any other {@link IOException} is the
     * daemon's or the host's failure ({@code INTERNAL}), and any other exception a bug
     * ({@code UNKNOWN}). A status thrown on purpose, such as an invalid argument, passes as it is.
     */
    static Status status(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status.getStatus();
        }
        if (failure instanceof HawserException refusal) {
            return Status.fromCode(Status.Code.valueOf(refusal.code().name())).withDescription(refusal.getMessage());
        }
        if (failure instanceof IOException) {
            return Status.INTERNAL.withDescription(failure.getMessage()).withCause(failure);
        }
        return Status.UNKNOWN.withDescription(failure.toString()).withCause(failure);
    }

    /** A request that cannot be used, naming the field: {@code image.image must not be empty}. */
    static StatusRuntimeException invalid(String field, String problem) {
        return Status.INVALID_ARGUMENT.withDescription(field + " " + problem).asRuntimeException();
    }
}
