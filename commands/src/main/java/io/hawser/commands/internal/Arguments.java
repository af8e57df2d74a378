package io.hawser.commands.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.hawser.frontend.CommandException;

/**
 * A command's arguments, taken apart the way getopt-style tools do: flags and options anywhere
 * ({@code -q}, {@code --platform linux/arm64}, {@code --platform=linux/arm64}), operands in order,
 * everything after {@code --} an operand. Take the flags and options first, then the operands;
 * an unknown flag left over is a usage error.
 */
public final class Arguments {

    private final List<String> remaining;
    private final List<String> literal;

    private Arguments(List<String> args) {
        int end = args.indexOf("--");
        this.remaining = new ArrayList<>(end < 0 ? args : args.subList(0, end));
        this.literal = end < 0 ? List.of() : List.copyOf(args.subList(end + 1, args.size()));
    }

    public static Arguments of(List<String> args) {
        return new Arguments(args);
    }

    /** Whether one of these flags was given (each occurrence is taken). */
    public boolean flag(String... names) {
        boolean found = false;
        for (String name : names) {
            found |= remaining.removeIf(name::equals);
        }
        return found;
    }

    /** The value of an option, {@code --name VALUE} or {@code --name=VALUE}; the last one wins. */
    public Optional<String> option(String... names) throws CommandException {
        Optional<String> value = Optional.empty();
        for (int i = 0; i < remaining.size(); i++) {
            String arg = remaining.get(i);
            for (String name : names) {
                if (arg.equals(name)) {
                    if (i + 1 >= remaining.size()) {
                        throw new CommandException(name + " needs a value", CommandException.USAGE);
                    }
                    value = Optional.of(remaining.get(i + 1));
                    remaining.subList(i, i + 2).clear();
                    i--;
                } else if (arg.startsWith(name + "=")) {
                    value = Optional.of(arg.substring(name.length() + 1));
                    remaining.remove(i);
                    i--;
                }
            }
        }
        return value;
    }

    /**
     * The operands, after the flags and options were taken.
     *
     * @param min  how many there must be at least
     * @param max  how many there may be at most
     * @param what what they are, for the message ("an image reference")
     */
    public List<String> operands(int min, int max, String what) throws CommandException {
        for (String arg : remaining) {
            if (arg.startsWith("-") && !arg.equals("-")) {
                throw new CommandException("unknown argument " + arg, CommandException.USAGE);
            }
        }
        List<String> operands = new ArrayList<>(remaining);
        operands.addAll(literal);
        if (operands.size() < min) {
            throw new CommandException("needs " + what, CommandException.USAGE);
        }
        if (operands.size() > max && max == 0) {
            throw new CommandException("takes no arguments, got " + operands.getFirst(), CommandException.USAGE);
        }
        if (operands.size() > max) {
            throw new CommandException("takes at most " + max + " of " + what + ", got " + operands.size(), CommandException.USAGE);
        }
        return operands;
    }
}
