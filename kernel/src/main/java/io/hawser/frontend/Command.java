package io.hawser.frontend;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An operator command, run the same way from the {@code hawser} CLI and from the Gogo console.
 * Register it as a service with the property {@value #NAME_PROPERTY} set to the command's name
 * (the word after {@code hawser}).
 *
 * <p>A command writes its results to {@link CommandContext#out()} and diagnostics to
 * {@link CommandContext#err()}; it returns the exit status, or throws {@link CommandException}
 * with a message for the operator and a status.
 */
@ConsumerType
public interface Command {

    /**
     * Service property naming the command: one name, or several (aliases such as {@code images}
     * and {@code image ls}). A name may be two words, a subcommand: {@code hawser image inspect X}
     * runs the command named {@code image inspect} with the argument {@code X}.
     */
    String NAME_PROPERTY = "hawser.command";

    /** One line saying what the command does, shown by {@code hawser help}. */
    String summary();

    /** The synopsis: flags and arguments, shown on a usage error and by {@code hawser help NAME}. */
    String usage();

    /**
     * Runs the command.
     *
     * @param context where output goes and what kind of terminal the caller has
     * @param args    the arguments after the command's name
     * @return the exit status, 0 for success
     * @throws CommandException for an error the operator caused or can act on
     * @throws Exception        for anything else; the frontend reports it and exits with 1
     */
    int run(CommandContext context, List<String> args) throws Exception;
}
