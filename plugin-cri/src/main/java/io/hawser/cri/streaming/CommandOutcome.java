package io.hawser.cri.streaming;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How an exec or attach session ended, as the client learns it on the error stream. */
sealed interface CommandOutcome {

    /** The process exited with 0, or an attach session ended. */
    record Success() implements CommandOutcome {}

    /** The process exited with another code. */
    record NonZeroExit(int code) implements CommandOutcome {}

    /** The session could not do its job; the message names the container and the cause. */
    record Failed(String message) implements CommandOutcome {}

    /**
     * The bytes for the error stream: a {@code metav1.Status} in JSON when the protocol has them,
     * else a failure's message alone and nothing for success.
     */
    default byte[] encode(RemoteCommandProtocol protocol) {
        if (!protocol.statusAsJson) {
            return switch (this) {
                case Success _ -> new byte[0];
                case NonZeroExit(int code) -> nonZeroMessage(code).getBytes(StandardCharsets.UTF_8);
                case Failed(String message) -> message.getBytes(StandardCharsets.UTF_8);
            };
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode status = json.createObjectNode();
        status.putObject("metadata");
        switch (this) {
            case Success _ -> status.put("status", "Success");
            case NonZeroExit(int code) -> {
                status.put("status", "Failure").put("message", nonZeroMessage(code)).put("reason", "NonZeroExitCode");
                // the client reads the code from this cause; "reason" is the JSON name of a cause's type
                status.putObject("details").putArray("causes").addObject()
                        .put("reason", "ExitCode").put("message", Integer.toString(code));
            }
            case Failed(String message) -> status.put("status", "Failure").put("message", message)
                    .put("reason", "InternalError").put("code", 500);
        }
        try {
            return json.writeValueAsBytes(status);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private static String nonZeroMessage(int code) {
        return "command terminated with non-zero exit code: exit status " + code;
    }
}
