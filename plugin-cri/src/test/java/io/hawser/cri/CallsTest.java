package io.hawser.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;

class CallsTest {

    @Test
    void everyKernelErrorCodeAnswersTheGrpcCodeOfItsName() {
        for (ErrorCode code : ErrorCode.values()) {
            Status status = Calls.status(new HawserException(code, "why"));
            assertEquals(code.name(), status.getCode().name());
            assertEquals("why", status.getDescription());
        }
    }

    @Test
    void otherFailuresAreInternalOrUnknown() {
        IOException disk = new IOException("disk full");
        Status internal = Calls.status(disk);
        assertEquals(Status.Code.INTERNAL, internal.getCode());
        assertEquals("disk full", internal.getDescription());
        assertSame(disk, internal.getCause());
        assertEquals(Status.Code.UNKNOWN, Calls.status(new IllegalStateException("bug")).getCode());
    }

    @Test
    void invalidArgumentsNameTheField() {
        Status status = Calls.status(Calls.invalid("image.image", "must not be empty"));
        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
        assertEquals("image.image must not be empty", status.getDescription());
    }

    @Test
    void unaryAnswersOnceWithTheResponseOrTheStatus() {
        Recorder<String> ok = new Recorder<>();
        Calls.unary(ok, () -> "done");
        assertEquals(List.of("done", "completed"), ok.events);

        Recorder<String> refused = new Recorder<>();
        Calls.unary(refused, () -> {
            throw HawserException.notFound("image x");
        });
        assertEquals(List.of("error NOT_FOUND: image x not found"), refused.events);
    }

    /** Records what a call answered. */
    static final class Recorder<T> implements StreamObserver<T> {
        final List<String> events = new ArrayList<>();

        @Override
        public void onNext(T value) {
            events.add(String.valueOf(value));
        }

        @Override
        public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            events.add("error " + status.getCode() + ": " + status.getDescription());
        }

        @Override
        public void onCompleted() {
            events.add("completed");
        }
    }
}
