package io.hawser.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {

    @ParameterizedTest
    @CsvSource({
        "linux/amd64, linux/amd64",
        "Linux/X86_64, linux/amd64",
        "linux/amd64/v1, linux/amd64",
        "linux/amd64/v3, linux/amd64/v3",
        "linux/aarch64, linux/arm64",
        "linux/arm64/v8, linux/arm64",
        "linux/arm64/8, linux/arm64",
        "linux/arm, linux/arm/v7",
        "linux/arm/6, linux/arm/v6",
        "linux/armhf, linux/arm/v7",
        "linux/armel, linux/arm/v6",
        "linux/i686, linux/386",
        "linux/riscv64, linux/riscv64",
    })
    void parsesAndNormalizes(String input, String expected) {
        assertEquals(expected, Platform.parse(input).toString());
    }

    @Test
    void parseFillsFields() {
        Platform p = Platform.parse("linux/arm/v7");
        assertEquals("linux", p.os());
        assertEquals("arm", p.architecture());
        assertEquals("v7", p.variant());
        assertEquals("", p.osVersion());
        assertTrue(p.osFeatures().isEmpty());
    }

    @Test
    void refusesMalformed() {
        for (String bad : new String[] {"linux", "linux/", "/amd64", "linux/amd64/v8/x", "linux//v7"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Platform.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void hostIsLinux() {
        assertEquals("linux", Platform.host().os());
    }
}
