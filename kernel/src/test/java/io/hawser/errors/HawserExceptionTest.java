package io.hawser.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class HawserExceptionTest {

    @Test
    void nounPhrasesGetTheVerbAppended() {
        HawserException missing = HawserException.notFound("snapshot sha256:abc");
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertEquals("snapshot sha256:abc not found", missing.getMessage());

        HawserException taken = HawserException.alreadyExists("exec probe-1 in task web");
        assertEquals(ErrorCode.ALREADY_EXISTS, taken.code());
        assertEquals("exec probe-1 in task web already exists", taken.getMessage());
    }

    @Test
    void sentenceFactoriesKeepTheMessageAndSetTheirCode() {
        var factories = Map.<ErrorCode, Function<String, HawserException>>of(
                ErrorCode.FAILED_PRECONDITION, HawserException::failedPrecondition,
                ErrorCode.INVALID_ARGUMENT, HawserException::invalidArgument,
                ErrorCode.UNAUTHENTICATED, HawserException::unauthenticated,
                ErrorCode.UNAVAILABLE, HawserException::unavailable,
                ErrorCode.UNIMPLEMENTED, HawserException::unimplemented);
        Set<ErrorCode> covered = EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_EXISTS);
        factories.forEach((code, factory) -> {
            HawserException e = factory.apply("task web is running");
            assertEquals(code, e.code());
            assertEquals("task web is running", e.getMessage());
            covered.add(code);
        });
        assertEquals(EnumSet.allOf(ErrorCode.class), covered, "every code has a factory");
    }

    @Test
    void isAnIOExceptionSoApiMethodsKeepTheirSignatures() {
        IOException e = HawserException.unavailable("ingest r1 is locked by another writer");
        HawserException h = assertInstanceOf(HawserException.class, e);
        assertEquals(ErrorCode.UNAVAILABLE, h.code());
        assertNull(e.getCause());
    }

    @Test
    void carriesACauseAndRequiresACode() {
        var cause = new IOException("HTTP 401");
        var e = new HawserException(ErrorCode.UNAUTHENTICATED, "registry.local:5000 refused the credentials", cause);
        assertSame(cause, e.getCause());
        assertThrows(NullPointerException.class, () -> new HawserException(null, "x"));
    }

    @Test
    void codesAreNamedAfterGrpcStatusCodes() {
        // frontends map by name (Status.Code.valueOf(code.name())); these names must stay gRPC's
        Set<String> grpc = Set.of("INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "FAILED_PRECONDITION",
                "UNIMPLEMENTED", "UNAVAILABLE", "UNAUTHENTICATED", "PERMISSION_DENIED", "DATA_LOSS",
                "RESOURCE_EXHAUSTED", "ABORTED", "OUT_OF_RANGE", "DEADLINE_EXCEEDED", "CANCELLED");
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(grpc.contains(code.name()), code.name());
        }
    }
}
