package io.hawser.commands.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.hawser.frontend.Command;
import io.hawser.frontend.CommandContext;
import io.hawser.errors.HawserException;
import io.hawser.frontend.CommandException;

/**
 * The commands available now, by name, plus {@code help}, which lists them. Both doors (the CLI
 * socket and the Gogo console) look commands up here, so they always offer the same set.
 */
public final class CommandRegistry {

    /** Guarded by this: commands come and go with their bundles. */
    private final Map<String, Command> commands = new HashMap<>();

    private final Command help = new Help();

    /** Adds a command under its name; a later command with the same name replaces it. */
    public synchronized void add(String name, Command command) {
        commands.put(name, command);
    }

    /** Removes a command if it is still the one registered under its name. */
    public synchronized void remove(String name, Command command) {
        commands.remove(name, command);
    }

    /** The command with this name. */
    public synchronized Optional<Command> find(String name) {
        return name.equals("help") ? Optional.of(help) : Optional.ofNullable(commands.get(name));
    }

    /** Every command by name, {@code help} included. */
    public synchronized Map<String, Command> all() {
        Map<String, Command> all = new TreeMap<>(commands);
        all.put("help", help);
        return all;
    }

    /**
     * Runs a command line: the first word names the command. Errors become a message on the
     * caller's stderr and an exit status, never an exception.
     */
    public int run(List<String> commandLine, CommandContext context) {
        if (commandLine.isEmpty()) {
            context.err().println("hawser: no command given; 'hawser help' lists the commands");
            return CommandException.USAGE;
        }
        // a two-word command ("image inspect") before a one-word one ("image")
        int words = commandLine.size() > 1 && find(commandLine.get(0) + " " + commandLine.get(1)).isPresent() ? 2 : 1;
        String name = String.join(" ", commandLine.subList(0, words));
        Optional<Command> command = find(name);
        if (command.isEmpty()) {
            context.err().println("hawser: unknown command \"" + name + "\"; 'hawser help' lists the commands");
            return CommandException.USAGE;
        }
        try {
            return command.get().run(context, commandLine.subList(words, commandLine.size()));
        } catch (CommandException e) {
            context.err().println("hawser " + name + ": " + e.getMessage());
            if (e.status() == CommandException.USAGE) {
                context.err().println("usage: hawser " + name + " " + command.get().usage());
            }
            return e.status();
        } catch (HawserException e) {
            context.err().println("hawser " + name + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.err().println("hawser " + name + ": interrupted");
            return 130;
        } catch (Exception e) {
            System.getLogger(CommandRegistry.class.getName()).log(System.Logger.Level.ERROR, "command " + name + " failed", e);
            context.err().println("hawser " + name + ": failed: " + e);
            return 1;
        }
    }

    /** {@code help [COMMAND]}: the command list, or one command's usage. */
    private final class Help implements Command {
        @Override
        public String summary() {
            return "list the commands, or show how to use one";
        }

        @Override
        public String usage() {
            return "[COMMAND [SUBCOMMAND]]";
        }

        @Override
        public int run(CommandContext context, List<String> args) throws CommandException {
            if (args.size() > 2) {
                throw new CommandException("takes at most one command name", CommandException.USAGE);
            }
            if (!args.isEmpty()) {
                String name = String.join(" ", args);
                Command command = find(name).orElseThrow(() -> new CommandException("unknown command \"" + name + "\""));
                context.out().println("usage: hawser " + name + " " + command.usage());
                context.out().println();
                context.out().println(command.summary());
                return 0;
            }
            Map<String, Command> all = all();
            int width = all.keySet().stream().max(Comparator.comparingInt(String::length)).orElse("").length();
            context.out().println("usage: hawser [--address SOCKET] COMMAND [ARG...]");
            context.out().println();
            context.out().println("commands:");
            all.forEach((name, command) -> context.out().printf("  %-" + width + "s  %s%n", name, command.summary()));
            return 0;
        }
    }
}
