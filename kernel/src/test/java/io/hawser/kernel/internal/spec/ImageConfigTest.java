package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void readsTheRunFieldsOfAnImageConfig() throws Exception {
        ImageConfig config = ImageConfig.fromImageConfig(json("""
                {"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],
                 "Env":["PATH=/bin","A=1"],"WorkingDir":"/srv","User":"app:staff","Labels":{"x":"y"}},
                 "rootfs":{"type":"layers","diff_ids":[]}}"""));
        assertEquals(new ImageConfig(List.of("/bin/sh", "-c"), List.of("echo hi"), List.of("PATH=/bin", "A=1"), "/srv", "app:staff"), config);
    }

    @Test
    void missingOrNullFieldsAreUnset() throws Exception {
        assertEquals(ImageConfig.EMPTY, ImageConfig.fromImageConfig(json("{\"os\":\"linux\"}")));
        assertEquals(ImageConfig.EMPTY, ImageConfig.fromImageConfig(json("{\"config\":{\"Cmd\":null,\"User\":null}}")));
    }

    @Test
    void refusesFieldsOfTheWrongTypeNamingThem() {
        for (String bad : List.of("{\"config\":{\"Cmd\":\"echo hi\"}}", "{\"config\":{\"Env\":[1]}}",
                "{\"config\":{\"User\":0}}", "{\"config\":[]}")) {
            HawserException e = assertThrows(HawserException.class, () -> ImageConfig.fromImageConfig(json(bad)), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("image config: config"), e.getMessage());
        }
    }
}
