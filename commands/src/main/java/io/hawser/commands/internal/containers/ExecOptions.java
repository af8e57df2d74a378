package io.hawser.commands.internal.containers;

import java.util.List;
import java.util.Set;

import io.hawser.commands.internal.Arguments;
import io.hawser.frontend.CommandException;

/**
 * What {@code exec} was asked, parsed; options end at the container.
 *
 * @param env     {@code KEY=VALUE} entries added to the container's environment
 * @param workdir the working directory, or {@code null} for the container's
 * @param user    {@code USER[:GROUP]}, names or numbers, or {@code null} for the container's user
 */
record ExecOptions(boolean interactive, boolean tty, List<String> env, String workdir, String user, String container,
        List<String> command) {

    static final String USAGE = "[-i] [-t] [-e KEY=VALUE]... [-w DIR] [-u USER[:GROUP]] CONTAINER COMMAND [ARG...]";

    private static final Set<String> VALUE_OPTIONS = Set.of("-e", "--env", "-w", "--workdir", "-u", "--user");

    ExecOptions {
        env = List.copyOf(env);
        command = List.copyOf(command);
    }

    static ExecOptions parse(List<String> args) throws CommandException {
        Arguments arguments = Arguments.untilOperand(args, VALUE_OPTIONS, "it");
        boolean interactive = arguments.flag("-i", "--interactive");
        boolean tty = arguments.flag("-t", "--tty");
        List<String> env = arguments.options("-e", "--env");
        for (String entry : env) {
            RunOptions.checkEnv(entry, "-e");
        }
        String workdir = arguments.option("-w", "--workdir").orElse(null);
        String user = arguments.option("-u", "--user").orElse(null);
        List<String> operands = arguments.operands(2, Integer.MAX_VALUE, "a container and a command");
        return new ExecOptions(interactive, tty, env, workdir, user, operands.getFirst(), operands.subList(1, operands.size()));
    }
}
