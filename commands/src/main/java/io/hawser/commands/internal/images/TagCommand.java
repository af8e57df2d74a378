package io.hawser.commands.internal.images;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.images.Image;
import io.hawser.images.ImageStore;
import io.hawser.images.Reference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code hawser tag}: records another name for an image's target; an existing name is moved. */
@Component(property = {Command.NAME_PROPERTY + "=tag", Command.NAME_PROPERTY + "=image tag"})
public final class TagCommand implements Command {

    private final ImageStore store;

    @Activate
    public TagCommand(@org.osgi.service.component.annotations.Reference ImageStore store) {
        this.store = store;
    }

    @Override
    public String summary() {
        return "give an image another name";
    }

    @Override
    public String usage() {
        return "SOURCE TARGET";
    }

    @Override
    public int run(CommandContext context, List<String> args) throws Exception {
        List<String> names = Arguments.of(args).operands(2, 2, "a source image and a target name");
        Image source = ImageLookup.find(store, names.get(0));
        String target = Reference.parse(names.get(1)).toString();
        Instant now = Instant.now();
        var existing = store.get(target);
        if (existing.isPresent()) {
            store.update(new Image(target, source.target(), existing.get().labels(), existing.get().created(), now));
        } else {
            store.create(new Image(target, source.target(), Map.of(), now, now));
        }
        context.out().println(target);
        return 0;
    }
}
