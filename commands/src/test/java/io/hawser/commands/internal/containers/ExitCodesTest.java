package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void aMissingCommandIs127AsRuncReportsIt() {
        assertEquals(127, ExitCodes.forStartFailure(
                "runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH"));
        assertEquals(127, ExitCodes.forStartFailure(
                "runc create failed: unable to start container process: exec: \"/bin/nope\": stat /bin/nope: no such file or directory"));
    }

    @Test
    void aCommandThatCannotBeExecutedIs126() {
        assertEquals(126, ExitCodes.forStartFailure("exec: \"/etc/passwd\": permission denied"));
        assertEquals(126, ExitCodes.forStartFailure("exec: \"/etc\": is a directory"));
    }

    @Test
    void anythingElseIsTheDaemons125() {
        assertEquals(125, ExitCodes.forStartFailure("conmon: cannot create the cgroup"));
        assertEquals(125, ExitCodes.forStartFailure(null));
        assertEquals(125, ExitCodes.daemon(new IOException("image x not found")).status());
        assertEquals(127, ExitCodes.startFailure(new IOException("executable file not found in $PATH")).status());
    }
}
