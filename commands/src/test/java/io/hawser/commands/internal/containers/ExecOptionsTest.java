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
import io.hawser.containers.ProcessUser;
import io.hawser.errors.HawserException;
import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;

class ExecOptionsTest {

    private static final String SPEC = """
            {"ociVersion":"1.2.0","process":{"terminal":false,"user":{"uid":1000,"gid":1000,"additionalGids":[10]},
             "args":["sleep","100"],"env":["PATH=/bin","HOME=/home/app"],"cwd":"/app",
             "capabilities":{"bounding":["CAP_CHOWN"]},"noNewPrivileges":true},"root":{"path":"rootfs"}}""";

    /** The container's users: its /etc/passwd and /etc/group as the daemon would resolve them. */
    private static final ProcessSpecs.Users USERS = user -> switch (user) {
        case "33:44" -> new ProcessUser(33, 44, List.of());
        case "nobody" -> new ProcessUser(65534, 65534, List.of(100L));
        default -> throw HawserException.invalidArgument("user '" + user + "' not found in the image's /etc/passwd");
    };

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

        JsonNode process = new ObjectMapper().readTree(ProcessSpecs.forExec(SPEC, options, Optional.of(new ClientTerminal.Size(120, 40)), USERS));

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

        JsonNode process = new ObjectMapper().readTree(ProcessSpecs.forExec(SPEC, options, Optional.empty(), USERS));

        assertEquals("{\"uid\":33,\"gid\":44}", process.get("user").toString());
        assertEquals("/tmp", process.get("cwd").asText());
        assertFalse(process.get("terminal").asBoolean());
        assertFalse(process.has("consoleSize"));
    }

    @Test
    void aUserNameComesWithTheGroupsTheContainerGivesIt() throws Exception {
        JsonNode process = new ObjectMapper().readTree(
                ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-u", "nobody", "web", "id")), Optional.empty(), USERS));

        assertEquals("{\"uid\":65534,\"gid\":65534,\"additionalGids\":[100]}", process.get("user").toString());
    }

    @Test
    void unknownUsersAndRelativeDirectoriesAreRefused() {
        var unknown = assertThrows(HawserException.class,
                () -> ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-u", "nosuch", "web", "id")), Optional.empty(), USERS));
        var relative = assertThrows(CommandException.class,
                () -> ProcessSpecs.forExec(SPEC, ExecOptions.parse(List.of("-w", "tmp", "web", "id")), Optional.empty(), USERS));

        assertTrue(unknown.getMessage().contains("user 'nosuch' not found"), unknown.getMessage());
        assertTrue(relative.getMessage().contains("must be an absolute path"), relative.getMessage());
    }
}
