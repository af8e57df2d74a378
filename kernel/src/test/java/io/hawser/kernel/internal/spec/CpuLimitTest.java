package io.hawser.kernel.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hawser.errors.ErrorCode;
import io.hawser.errors.HawserException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CpuLimitTest {

    @ParameterizedTest
    @CsvSource({"0.5, 50000", "2, 200000", "1.25, 125000", "0.01, 1000", "0.333, 33300"})
    void cpusBecomeAQuotaPerHundredMilliseconds(String cpus, long quota) throws HawserException {
        assertEquals(new CpuLimit(quota, 100_000), CpuLimit.ofCpus(cpus));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "half", "-1", "0", "0.001", "1,5"})
    void refusesWhatIsNotAUsableNumberNamingIt(String cpus) {
        HawserException e = assertThrows(HawserException.class, () -> CpuLimit.ofCpus(cpus));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'" + cpus + "'"), e.getMessage());
    }
}
