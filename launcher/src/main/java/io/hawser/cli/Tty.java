package io.hawser.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client's controlling terminal, driven through {@code stty(1)} on {@code /dev/tty}: its window
 * size, and raw mode for an interactive container.
 *
 * <p>Why {@code stty} and not termios through JNA: the launcher jar is a plain class-path jar
 * started for every {@code hawser} call, and JNA would add a 2 MB jar and the loading of its native
 * library to the start of every one of them (the latency {@code bench/run} measures). {@code stty}
 * costs one short fork per call and only for the commands that open a terminal; the window size on
 * a change costs one more, which a human resizing a window never notices.
 */
final class Tty {

    private static final File DEVICE = new File("/dev/tty");

    /** The settings {@code stty -g} printed before raw mode, to restore; {@code null} while not raw. Guarded by this. */
    private String saved;

    /**
     * The size as columns and rows, from {@code stty size}, which prints {@code ROWS COLUMNS}.
     * Empty when there is no terminal or it reports no size (0 0, as a pseudo-terminal nobody
     * sized does).
     */
    Optional<int[]> size() {
        try {
            return parseSize(stty("size"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<int[]> parseSize(String sttyOutput) {
        String[] parts = sttyOutput.strip().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            int rows = Integer.parseInt(parts[0]);
            int columns = Integer.parseInt(parts[1]);
            return rows > 0 && columns > 0 ? Optional.of(new int[] {columns, rows}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Puts the terminal in raw mode without echo: every key, Ctrl-C included, goes to the
     * container's own terminal, which does the echoing and the line editing.
     *
     * @return whether it was not raw before
     */
    synchronized boolean makeRaw() throws IOException {
        if (saved != null) {
            return false;
        }
        String settings = stty("-g").strip();
        stty("raw", "-echo");
        saved = settings;
        return true;
    }

    /** Gives the terminal back the settings it had before {@link #makeRaw()}; does nothing if it is not raw. */
    synchronized void restore() {
        if (saved != null) {
            try {
                stty(saved);
            } catch (IOException e) {
                System.err.println("hawser: cannot restore the terminal (run 'stty sane'): " + e.getMessage());
            }
            saved = null;
        }
    }

    /** Runs {@code stty} with the terminal as its standard input and returns what it printed. */
    private static String stty(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stty");
        command.addAll(List.of(args));
        java.lang.Process stty = new ProcessBuilder(command).redirectInput(DEVICE).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (stty.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed with status " + stty.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        return output;
    }
}
