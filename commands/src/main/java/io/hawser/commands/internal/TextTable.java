package io.hawser.commands.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell and separated by two spaces, as {@code ctr} prints lists. */
public final class TextTable {

    private final List<List<String>> rows = new ArrayList<>();

    /** A table with this header row. */
    public TextTable(String... header) {
        rows.add(List.of(header));
    }

    /** Adds a row; missing cells print empty. */
    public TextTable row(String... cells) {
        rows.add(List.of(cells));
        return this;
    }

    /** Prints the table; the last column is not padded. */
    public void print(PrintStream out) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
