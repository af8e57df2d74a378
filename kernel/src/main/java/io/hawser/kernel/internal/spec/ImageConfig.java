package io.hawser.kernel.internal.spec;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.errors.HawserException;

/**
 * The parts of an image's configuration that decide how its containers run. A {@code null} list
 * or string means the image does not set it.
 *
 * @param entrypoint the command's fixed prefix, {@code Entrypoint}
 * @param cmd        the default command or default arguments to the entrypoint, {@code Cmd}
 * @param env        {@code KEY=VALUE} entries, {@code Env}
 * @param workingDir the initial working directory, {@code WorkingDir}
 * @param user       {@code user[:group]}, {@code User}
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {

    /** An image that sets nothing. */
    public static final ImageConfig EMPTY = new ImageConfig(null, null, null, null, null);

    public ImageConfig {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        env = env == null ? null : List.copyOf(env);
    }

    /**
     * Reads the {@code config} object of an OCI or Docker image configuration document; a document
     * without one sets nothing.
     *
     * @throws HawserException {@code INVALID_ARGUMENT} naming the field when one has the wrong type
     */
    public static ImageConfig fromImageConfig(JsonNode document) throws HawserException {
        JsonNode config = document.path("config");
        if (config.isMissingNode() || config.isNull()) {
            return EMPTY;
        }
        if (!config.isObject()) {
            throw HawserException.invalidArgument("image config: config must be an object");
        }
        return new ImageConfig(strings(config, "Entrypoint"), strings(config, "Cmd"), strings(config, "Env"),
                string(config, "WorkingDir"), string(config, "User"));
    }

    private static List<String> strings(JsonNode config, String field) throws HawserException {
        JsonNode node = config.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw HawserException.invalidArgument("image config: config." + field + " must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw HawserException.invalidArgument("image config: config." + field + " must be an array of strings");
            }
            values.add(element.textValue());
        }
        return values;
    }

    private static String string(JsonNode config, String field) throws HawserException {
        JsonNode node = config.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw HawserException.invalidArgument("image config: config." + field + " must be a string");
        }
        return node.textValue();
    }
}
