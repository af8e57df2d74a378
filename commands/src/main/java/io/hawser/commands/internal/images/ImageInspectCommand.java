package io.hawser.commands.internal.images;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.images.Descriptor;
import io.hawser.images.Image;
import io.hawser.images.ImageService;
import io.hawser.images.ImageStore;
import io.hawser.images.ResolvedImage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hawser image inspect}: an image record and what it resolves to, as JSON. */
@Component(property = Command.NAME_PROPERTY + "=image inspect")
public final class ImageInspectCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ImageStore store;
    private final ImageService service;

    @Activate
    public ImageInspectCommand(@Reference ImageStore store, @Reference ImageService service) {
        this.store = store;
        this.service = service;
    }

    @Override
    public String summary() {
        return "show an image record and its manifest, config and layers for a platform, as JSON";
    }

    @Override
    public String usage() {
        return "[--platform OS/ARCH[/VARIANT]] REFERENCE...";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        Arguments arguments = Arguments.of(args);
        var platform = PullCommand.platform(arguments.option("--platform"));
        ArrayNode result = JSON.createArrayNode();
        for (String name : arguments.operands(1, Integer.MAX_VALUE, "an image reference")) {
            Image image = ImageLookup.find(store, name);
            ObjectNode node = result.addObject();
            node.put("name", image.name());
            node.set("target", descriptor(image.target()));
            node.putPOJO("labels", image.labels());
            node.put("created", image.created().toString());
            node.put("updated", image.updated().toString());
            try {
                ResolvedImage resolved = service.resolve(image, platform);
                ObjectNode platformNode = node.putObject("resolved");
                platformNode.put("platform", resolved.platform().toString());
                platformNode.set("manifest", descriptor(resolved.manifest()));
                platformNode.set("config", descriptor(resolved.config()));
                ArrayNode layers = platformNode.putArray("layers");
                resolved.layers().forEach(layer -> layers.add(descriptor(layer)));
                ArrayNode diffIds = platformNode.putArray("diffIds");
                resolved.diffIds().forEach(d -> diffIds.add(d.toString()));
                platformNode.put("size", resolved.size());
            } catch (IOException e) {
                node.put("resolveError", e.getMessage());
            }
        }
        context.out().println(JSON.writeValueAsString(result));
        return 0;
    }

    private static ObjectNode descriptor(Descriptor d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (d.platform() != null) {
            node.put("platform", d.platform().toString());
        }
        return node;
    }
}
