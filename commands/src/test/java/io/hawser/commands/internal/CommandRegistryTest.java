package io.hawser.commands.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;

class CommandRegistryTest {

    private final CommandRegistry registry = new CommandRegistry();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final StreamsContext context = new StreamsContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream(), false, 80, Path.of("/"));

    /** A command whose body is a lambda, with a fixed summary and usage. */
    private interface Body {
        int run(CommandContext context, List<String> args) throws Exception;
    }

    private static Command command(String summary, String usage, Body body) {
        return new Command() {
            @Override
            public String summary() {
                return summary;
            }

            @Override
            public String usage() {
                return usage;
            }

            @Override
            public int run(CommandContext context, List<String> args) throws Exception {
                return body.run(context, args);
            }
        };
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runDispatchesToTheNamedCommandWithTheRemainingArguments() {
        List<String> received = new ArrayList<>();
        registry.add("images", command("list images", "[-q]", (c, args) -> {
            received.addAll(args);
            c.out().println("busybox");
            return 0;
        }));
        registry.add("version", command("print the version", "", (c, args) -> 7));

        int status = registry.run(List.of("images", "-q", "x"), context);

        assertEquals(0, status);
        assertEquals(List.of("-q", "x"), received);
        assertEquals("busybox\n", out());
        assertEquals(7, registry.run(List.of("version"), context));
    }

    @Test
    void unknownCommandIsAUsageErrorNamingIt() {
        int status = registry.run(List.of("frobnicate", "x"), context);

        assertEquals(CommandException.USAGE, status);
        assertTrue(err().contains("unknown command \"frobnicate\""), err());
        assertEquals("", out());
    }

    @Test
    void emptyCommandLineIsAUsageError() {
        assertEquals(CommandException.USAGE, registry.run(List.of(), context));
        assertTrue(err().contains("no command given"), err());
    }

    @Test
    void commandExceptionGivesItsStatusAndMessage() {
        registry.add("pull", command("pull an image", "REF", (c, args) -> {
            throw new CommandException("registry unreachable", 3);
        }));

        int status = registry.run(List.of("pull", "busybox"), context);

        assertEquals(3, status);
        assertEquals("hawser pull: registry unreachable\n", err());
    }

    @Test
    void usageErrorAlsoPrintsTheUsageLine() {
        registry.add("pull", command("pull an image", "[--platform P] REF", (c, args) -> {
            throw new CommandException("needs an image reference", CommandException.USAGE);
        }));

        int status = registry.run(List.of("pull"), context);

        assertEquals(CommandException.USAGE, status);
        assertEquals("hawser pull: needs an image reference\nusage: hawser pull [--platform P] REF\n", err());
    }

    @Test
    void unexpectedExceptionIsStatusOneWithTheException() {
        registry.add("crash", command("fails", "", (c, args) -> {
            throw new IllegalStateException("boom");
        }));

        int status = registry.run(List.of("crash"), context);

        assertEquals(1, status);
        assertEquals("hawser crash: failed: java.lang.IllegalStateException: boom\n", err());
    }

    @Test
    void interruptedCommandExitsWith130AndKeepsTheInterrupt() {
        registry.add("wait", command("waits", "", (c, args) -> {
            throw new InterruptedException();
        }));

        int status = registry.run(List.of("wait"), context);

        assertEquals(130, status);
        assertTrue(Thread.interrupted());
        assertEquals("hawser wait: interrupted\n", err());
    }

    @Test
    void helpListsTheCommandsSortedWithTheirSummaries() {
        registry.add("version", command("print the version", "", (c, args) -> 0));
        registry.add("images", command("list images", "", (c, args) -> 0));
        registry.add("plugins", command("list plugins", "", (c, args) -> 0));

        int status = registry.run(List.of("help"), context);

        assertEquals(0, status);
        assertEquals("""
                usage: hawser [--address SOCKET] COMMAND [ARG...]

                commands:
                  help     list the commands, or show how to use one
                  images   list images
                  plugins  list plugins
                  version  print the version
                """, out());
    }

    @Test
    void helpWithANameShowsThatCommandsUsageAndSummary() {
        registry.add("pull", command("pull an image", "[--platform P] REF", (c, args) -> 0));

        int status = registry.run(List.of("help", "pull"), context);

        assertEquals(0, status);
        assertEquals("usage: hawser pull [--platform P] REF\n\npull an image\n", out());
    }

    @Test
    void helpForAnUnknownCommandFails() {
        int status = registry.run(List.of("help", "nope"), context);

        assertEquals(1, status);
        assertEquals("hawser help: unknown command \"nope\"\n", err());
    }

    @Test
    void helpWithThreeWordsIsAUsageError() {
        int status = registry.run(List.of("help", "a", "b", "c"), context);

        assertEquals(CommandException.USAGE, status);
        assertEquals("hawser help: takes at most one command name\nusage: hawser help [COMMAND [SUBCOMMAND]]\n", err());
    }

    @Test
    void aTwoWordCommandIsFoundBeforeItsFirstWord() throws Exception {
        registry.add("image", command("images in general", "", (c, args) -> 3));
        registry.add("image inspect", command("inspect an image", "REF", (c, args) -> {
            c.out().print(String.join(",", args));
            return 0;
        }));

        assertEquals(0, registry.run(List.of("image", "inspect", "busybox"), context));
        assertEquals("busybox", out.toString(StandardCharsets.UTF_8));
        assertEquals(3, registry.run(List.of("image", "busybox"), context));
        assertEquals(0, registry.run(List.of("help", "image", "inspect"), context));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: hawser image inspect REF"));
    }

    @Test
    void laterCommandReplacesAnEarlierOneAndOnlyTheRegisteredOneIsRemoved() {
        Command first = command("first", "", (c, args) -> 1);
        Command second = command("second", "", (c, args) -> 2);
        registry.add("x", first);
        registry.add("x", second);

        registry.remove("x", first);
        assertEquals(Optional.of(second), registry.find("x"));

        registry.remove("x", second);
        assertEquals(Optional.empty(), registry.find("x"));
        assertEquals(List.of("help"), List.copyOf(registry.all().keySet()));
    }
}
