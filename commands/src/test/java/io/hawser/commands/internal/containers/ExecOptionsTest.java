package io.hawser.commands.internal.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.commands.internal.ClientTerminal;
import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;

class ExecOptionsTest {

    private static final String SPEC = """
            {"ociVersion":"1.2.0","process":{"terminal":false,"user":{"uid":1000,"gid":1000,"additionalGids":[10]},
             "args":["sleep","100"],"env":["PATH=/bin","HOME=/home/app"],"cwd":"/app",
             "capabilities":{"bounding":["CAP_CHOWN"]},"noNewPrivileges":true},"root":{"path":"rootfs"}}""";

    @Test
    void optionsEndAtTheContainer() throws CommandException {
        ExecOptions options = ExecOptions.parse(List.of("-it", "-e", "A=1", "-w", "/tmp", "-u", "0", "web", "ls", "-la"));

        assertTrue(options.interactive());
        assertTrue(options.tty());
        assertEquals(List.of("A=1"), options.env());
        assertEquals("/tmp", options.workdir());
        assertEquals("0", options.user());
        assertEquals("web", options.container());
        assertEquals(List.of("ls", "-la"), options.command());
    }

    @Test
    void aContainerWithoutCommandIsAUsageError() {
        var e = assertThrows(CommandException.class, () -> ExecOptions.parse(List.of("web")));

        assertEquals(CommandException.USAGE, e.status());
        assertTrue(e.getMessage().contains("needs a container and a command"), e.getMessage());
    }

    @Test
    void theProcessInheritsTheContainersAndTakesTheRequestsChanges() throws Exception {
        ExecOptions options = ExecOptions.parse(List.of("-t", "-e", "HOME=/root", "-e", "X=1", "web", "sh"));

        JsonNode process = new ObjectMapper().readTree(ProcessSpecs.forExec(SPEC, options, Optional.of(new ClientTerminal.Size(120, 40))));

        assertEquals("[\"sh\"]", process.get("args").toString());
        assertTrue(process.get("terminal").asBoolean());
        assertEquals(40, process.get("consoleSize").get("height").asInt());
        assertEquals(120, process.get("consoleSize").get("width").asInt());
        assertEquals("[\"PATH=/bin\",\"HOME=/root\",\"X=1\"]", process.get("env").toString());
        assertEquals("/app", process.get("cwd").asText());
        assertEquals(1000, process.get("user").get("uid").asInt());
        assertEquals("[10]", process.get("user").get("additionalGids").toString());
        assertEquals("[\"CAP_CHOWN\"]", process.get("capabilities").get("bounding").toString());
        assertTrue(process.get("noNewPrivileges").asBoolean());
    }

    @Test
    void aNumericUserReplacesTheContainersWithItsGroups() throws Exception {
        ExecOptions options = ExecOptions.parse(List.of("-u", "33:44", "-w", "/tmp", "web", "id"));

        JsonNode process = new ObjectMapper().readTree(ProcessSpecs.forExec(SPEC, options, Optional.empty()));

        assertEquals("{\"uid\":33,\"gid\":44}", process.get("user").toString());
        assertEquals("/tmp", process.get("cwd").asText());
        assertFalse(process.get("terminal").asBoolean());
        assertFalse(process.has("consoleSize"));
    }

    @Test
    void userNamesRelativeDirectoriesAndHugeIdsAreRefused() throws CommandException {
        var name = assertThrows(CommandException.class,
                () -> ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-u", "nobody", "web", "id")), Optional.empty()));
        var huge = assertThrows(CommandException.class,
                () -> ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-u", "4294967295", "web", "id")), Optional.empty()));
        var relative = assertThrows(CommandException.class,
                () -> ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-w", "tmp", "web", "id")), Optional.empty()));

        assertTrue(name.getMessage().contains("-u nobody: exec takes numeric ids"), name.getMessage());
        assertTrue(huge.getMessage().contains("-u 4294967295"), huge.getMessage());
        assertTrue(relative.getMessage().contains("must be an absolute path"), relative.getMessage());
    }
}
