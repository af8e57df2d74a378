package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.Container;
import io.hawser.containers.ContainerService;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;

/**
 * Does one thing to each container named, as {@code kill}, {@code stop}, {@code rm},
 * {@code pause} and {@code resume} do: all at once (stopping ten containers takes one grace
 * period, not ten), then prints each name that succeeded and an error for each that did not, in
 * the order given, and fails if any failed.
 */
final class EachContainer {

    /** What to do to one container. */
    @FunctionalInterface
    interface Action {
        /**
         * @param container the container
         * @param named     the word that named it, for messages
         */
        void apply(Container container, String named) throws IOException, CommandException, InterruptedException;
    }

    /** The synopsis of a command that takes only containers. */
    static final String USAGE = "CONTAINER...";

    private EachContainer() {}

    /** The containers named: at least one, nothing else. */
    static List<String> names(List<String> args) throws CommandException {
        return Arguments.of(args).operands(1, Integer.MAX_VALUE, "a container");
    }

    static int apply(ContainerService containers, CommandContext context, String command, List<String> names, Action action)
            throws InterruptedException {
        List<Future<?>> results = new ArrayList<>();
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : names) {
                results.add(each.submit(() -> {
                    action.apply(ContainerLookup.find(containers, name), name);
                    return null;
                }));
            }
            int status = 0;
            for (int i = 0; i < names.size(); i++) {
                try {
                    results.get(i).get();
                    context.out().println(names.get(i));
                } catch (ExecutionException e) {
                    context.err().println("hawser " + command + ": " + e.getCause().getMessage());
                    status = 1;
                }
            }
            return status;
        }
    }
}
