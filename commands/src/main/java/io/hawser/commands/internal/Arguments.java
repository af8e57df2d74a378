package io.hawser.commands.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Arguments of a command that runs another command ({@code run IMAGE CMD…}, {@code exec
     * CONTAINER CMD…}): options end at the first operand, as POSIX getopt has it, so the flags of
     * the command run ({@code ls -l}) stay its own. To find that operand the options that take a
     * value must be known. Clustered one-letter flags ({@code -it}) are taken apart when every
     * letter is in {@code flagLetters}.
     *
     * @param valueOptions the options that take a value, each name spelled as on the command line
     * @param flagLetters  the letters of the one-letter flags that take no value
     */
    public static Arguments untilOperand(List<String> args, Set<String> valueOptions, String flagLetters) {
        List<String> options = new ArrayList<>();
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--") || !arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            if (valueOptions.contains(arg)) {
                options.add(arg);
                if (i + 1 < args.size()) {
                    options.add(args.get(++i));
                }
            } else if (!arg.startsWith("--") && arg.length() > 2 && arg.substring(1).chars().allMatch(c -> flagLetters.indexOf(c) >= 0)) {
                arg.substring(1).chars().forEach(c -> options.add("-" + (char) c));
            } else {
                options.add(arg);
            }
        }
        int operands = i < args.size() && args.get(i).equals("--") ? i + 1 : i;
        options.add("--");
        options.addAll(args.subList(operands, args.size()));
        return new Arguments(options);
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
        List<String> values = options(names);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getLast());
    }

    /** Every value of an option that may be given several times ({@code -e A=1 -e B=2}), in order. */
    public List<String> options(String... names) throws CommandException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < remaining.size(); i++) {
            String arg = remaining.get(i);
            for (String name : names) {
                if (arg.equals(name)) {
                    if (i + 1 >= remaining.size()) {
                        throw new CommandException(name + " needs a value", CommandException.USAGE);
                    }
                    values.add(remaining.get(i + 1));
                    remaining.subList(i, i + 2).clear();
                    i--;
                    break;
                } else if (arg.startsWith(name + "=")) {
                    values.add(arg.substring(name.length() + 1));
                    remaining.remove(i);
                    i--;
                    break;
                }
            }
        }
        return values;
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
