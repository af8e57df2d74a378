package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemorySizeTest {

    @ParameterizedTest
    @CsvSource({
            "1048576, 1048576",
            "512m, 536870912",
            "512M, 536870912",
            "1g, 1073741824",
            "1GB, 1073741824",
            "1.5g, 1610612736",
            "64k, 65536",
            "100b, 100",
            "2t, 2199023255552"})
    void readsBytesAndBinaryUnits(String value, long bytes) throws HawserException {
        assertEquals(bytes, MemorySize.parseBytes(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m", "-1m", "1.5", "1.5b", "0", "0.1b", "12x", "1e9", "1 gigabyte", "99999999999t"})
    void refusesWhatIsNotAPositiveSizeNamingIt(String value) {
        HawserException e = assertThrows(HawserException.class, () -> MemorySize.parseBytes(value));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
    }

    @Test
    void refusesNull() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HawserException.class, () -> MemorySize.parseBytes(null)).code());
    }
}
