package io.hawser.commands.internal.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.hawser.commands.internal.Arguments;
import io.hawser.containers.ContainerConfig;
import io.hawser.frontend.CommandContext;
import io.hawser.frontend.CommandException;

/**
 * What {@code run} was asked, parsed. Options end at the image, so the flags after it belong to
 * the container's command.
 *
 * @param rm          remove the container when its process has exited
 * @param detach      print the id and return while the container runs
 * @param interactive keep the container's standard input open and feed it the caller's
 * @param tty         give the container a pseudo-terminal
 * @param env         {@code KEY=VALUE} entries from {@code -e}, after those of the env files
 * @param envFiles    files of {@code KEY=VALUE} lines, as given (relative to the caller)
 * @param pidsLimit   the pids limit, or {@code null}
 * @param noNewPrivileges whether the container's processes cannot gain privileges
 * @param seccomp     {@code unconfined}, a profile file as given (relative to the caller), or
 *                    {@code null} for the runtime default
 * @param entrypoint  the replacement entrypoint, or {@code null} for the image's
 */
record RunOptions(boolean rm, boolean detach, boolean interactive, boolean tty, String name, List<String> env,
        List<String> envFiles, String workdir, String user, String runtime, String snapshotter, String memory, String cpus,
        Long pidsLimit, boolean readOnly, List<String> capAdd, List<String> capDrop, boolean privileged,
        boolean noNewPrivileges, String seccomp, String hostname, String entrypoint, String image, List<String> command) {

    static final String USAGE = "[--rm] [-d] [-i] [-t] [--name NAME] [-e KEY=VALUE]... [--env-file FILE]... [-w DIR] [-u USER[:GROUP]] "
            + "[--runtime ID] [--snapshotter ID] [-m|--memory SIZE] [--cpus N] [--pids-limit N] [--read-only] "
            + "[--cap-add CAP]... [--cap-drop CAP]... [--privileged] [--security-opt seccomp=unconfined|PROFILE.json] "
            + "[--security-opt no-new-privileges] [-h|--hostname NAME] [--entrypoint CMD] IMAGE [COMMAND [ARG...]]";

    private static final Set<String> VALUE_OPTIONS = Set.of("--name", "-e", "--env", "--env-file", "-w", "--workdir", "-u", "--user",
            "--runtime", "--snapshotter", "-m", "--memory", "--cpus", "--pids-limit", "--cap-add", "--cap-drop", "-h", "--hostname",
            "--entrypoint", "--security-opt");

    RunOptions {
        env = List.copyOf(env);
        envFiles = List.copyOf(envFiles);
        capAdd = List.copyOf(capAdd);
        capDrop = List.copyOf(capDrop);
        command = List.copyOf(command);
    }

    /** Parses the arguments after {@code run}; errors are usage errors. */
    static RunOptions parse(List<String> args) throws CommandException {
        Arguments arguments = Arguments.untilOperand(args, VALUE_OPTIONS, "dit");
        boolean rm = arguments.flag("--rm");
        boolean detach = arguments.flag("-d", "--detach");
        boolean interactive = arguments.flag("-i", "--interactive");
        boolean tty = arguments.flag("-t", "--tty");
        boolean readOnly = arguments.flag("--read-only");
        boolean privileged = arguments.flag("--privileged");
        String name = arguments.option("--name").orElse(null);
        List<String> env = arguments.options("-e", "--env");
        for (String entry : env) {
            checkEnv(entry, "-e");
        }
        List<String> envFiles = arguments.options("--env-file");
        String workdir = arguments.option("-w", "--workdir").orElse(null);
        String user = arguments.option("-u", "--user").orElse(null);
        String runtime = arguments.option("--runtime").orElse(null);
        String snapshotter = arguments.option("--snapshotter").orElse(null);
        String memory = arguments.option("-m", "--memory").orElse(null);
        String cpus = arguments.option("--cpus").orElse(null);
        Long pidsLimit = null;
        var pids = arguments.option("--pids-limit");
        if (pids.isPresent()) {
            try {
                pidsLimit = Long.parseLong(pids.get());
            } catch (NumberFormatException e) {
                throw new CommandException("--pids-limit " + pids.get() + ": not a number", CommandException.USAGE);
            }
        }
        List<String> capAdd = arguments.options("--cap-add");
        List<String> capDrop = arguments.options("--cap-drop");
        boolean noNewPrivileges = false;
        String seccomp = null;
        for (String option : arguments.options("--security-opt")) {
            switch (SecurityOption.parse(option)) {
                case SecurityOption.NoNewPrivileges(boolean on) -> noNewPrivileges = on;
                case SecurityOption.Seccomp(String profile) -> seccomp = profile;
            }
        }
        String hostname = arguments.option("-h", "--hostname").orElse(null);
        String entrypoint = arguments.option("--entrypoint").orElse(null);
        List<String> operands = arguments.operands(1, Integer.MAX_VALUE, "an image");
        return new RunOptions(rm, detach, interactive, tty, name, env, envFiles, workdir, user, runtime, snapshotter, memory, cpus,
                pidsLimit, readOnly, capAdd, capDrop, privileged, noNewPrivileges, seccomp, hostname, entrypoint, operands.getFirst(),
                operands.subList(1, operands.size()));
    }

    /** One {@code --security-opt}, in docker's shapes. */
    sealed interface SecurityOption {
        record NoNewPrivileges(boolean on) implements SecurityOption {}

        /** {@code unconfined} or a profile file as given. */
        record Seccomp(String profile) implements SecurityOption {}

        /**
         * Parses {@code seccomp=unconfined}, {@code seccomp=FILE}, {@code no-new-privileges} and
         * {@code no-new-privileges=true|false}; docker's older {@code :} separator is accepted too.
         */
        static SecurityOption parse(String option) throws CommandException {
            int separator = option.indexOf('=') >= 0 ? option.indexOf('=') : option.indexOf(':');
            String key = separator < 0 ? option : option.substring(0, separator);
            String value = separator < 0 ? null : option.substring(separator + 1);
            return switch (key) {
                case "no-new-privileges" -> switch (value == null ? "true" : value) {
                    case "true" -> new NoNewPrivileges(true);
                    case "false" -> new NoNewPrivileges(false);
                    default -> throw new CommandException("--security-opt " + option + ": no-new-privileges takes true or false",
                            CommandException.USAGE);
                };
                case "seccomp" -> {
                    if (value == null || value.isEmpty()) {
                        throw new CommandException("--security-opt " + option + ": give seccomp=unconfined or seccomp=PROFILE.json",
                                CommandException.USAGE);
                    }
                    yield new Seccomp(value);
                }
                default -> throw new CommandException("--security-opt " + option
                        + ": unknown; use seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges", CommandException.USAGE);
            };
        }
    }

    /**
     * An environment entry must carry its value: docker's {@code -e KEY} takes the value from the
     * client's environment, which the daemon does not see.
     */
    static void checkEnv(String entry, String from) throws CommandException {
        int equals = entry.indexOf('=');
        if (equals <= 0) {
            throw new CommandException(from + " " + entry + ": give KEY=VALUE (the daemon does not see the client's environment)",
                    CommandException.USAGE);
        }
    }

    /**
     * The entries of an env file: {@code KEY=VALUE} lines, blank lines and {@code #} comments
     * skipped, values taken literally (no quotes removed), as docker reads them.
     */
    static List<String> parseEnvFile(String text, String file) throws CommandException {
        List<String> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            String entry = line.stripLeading();
            if (entry.endsWith("\r")) {
                entry = entry.substring(0, entry.length() - 1);
            }
            if (entry.isBlank() || entry.startsWith("#")) {
                continue;
            }
            checkEnv(entry, "--env-file " + file + ":");
            entries.add(entry);
        }
        return entries;
    }

    /** The environment: the env files' entries in order, then {@code -e}'s, so a later entry for a key wins. */
    List<String> environment(CommandContext context) throws CommandException {
        List<String> all = new ArrayList<>();
        for (String file : envFiles) {
            try {
                all.addAll(parseEnvFile(Files.readString(context.resolve(file), StandardCharsets.UTF_8), file));
            } catch (IOException e) {
                throw new CommandException("--env-file " + file + ": cannot read: " + e.getMessage(), CommandException.USAGE);
            }
        }
        all.addAll(env);
        return all;
    }

    /**
     * The container configuration.
     *
     * @param imageName   the image as the image store names it
     * @param environment the entries of {@link #environment}
     * @param context     the caller, whose working directory a relative profile file is resolved in
     *                    (the daemon reads the file, on the same host)
     */
    ContainerConfig config(String imageName, List<String> environment, CommandContext context) {
        String seccompProfile = seccomp == null ? null
                : seccomp.equals("unconfined") ? "unconfined" : "localhost/" + context.resolve(seccomp);
        return ContainerConfig.of(imageName)
                .name(name).runtime(runtime).snapshotter(snapshotter)
                .command(command).entrypoint(entrypoint == null ? null : entrypoint.isEmpty() ? List.of() : List.of(entrypoint))
                .env(environment).workdir(workdir).user(user).hostname(hostname)
                .terminal(tty).stdin(interactive).stdinOnce(interactive && !detach)
                .readOnlyRootfs(readOnly).memoryLimit(memory).cpus(cpus).pidsLimit(pidsLimit)
                .capAdd(capAdd).capDrop(capDrop).privileged(privileged)
                .noNewPrivileges(noNewPrivileges).seccompProfile(seccompProfile)
                .build();
    }
}
