package io.hawser.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import io.hawser.runtime.Resources;
import org.junit.jupiter.api.Test;

/** The OCI {@code linux.resources} object an update hands to {@code runc update --resources}. */
class RuncTaskResourcesTest {

    @Test
    void onlyWhatIsSetIsSent() {
        assertEquals("{}", RuncTask.ociResources(Resources.NONE).toString());
        assertEquals("{\"memory\":{\"limit\":1048576},\"pids\":{\"limit\":-1}}",
                RuncTask.ociResources(new Resources(1048576L, null, null, null, null, null, null, -1L, null, null)).toString());
    }

    @Test
    void everyFieldHasItsSpecName() {
        Resources all = new Resources(100L, 200L, 512L, 50000L, 100000L, "0-1", "0", 10L, Map.of("2MB", 0L),
                Map.of("memory.high", "90"));
        assertEquals("{\"memory\":{\"limit\":100,\"swap\":200},"
                + "\"cpu\":{\"shares\":512,\"quota\":50000,\"period\":100000,\"cpus\":\"0-1\",\"mems\":\"0\"},"
                + "\"pids\":{\"limit\":10},\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}],"
                + "\"unified\":{\"memory.high\":\"90\"}}", RuncTask.ociResources(all).toString());
    }
}
