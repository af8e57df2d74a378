package io.hawser.commands.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TextTableTest {

    private static String print(TextTable table) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void columnsArePaddedToTheWidestCellPlusTwoSpaces() {
        TextTable table = new TextTable("NAME", "ID", "STATUS")
                .row("a", "overlay", "ok")
                .row("longer", "x", "error: y");

        assertEquals("""
                NAME    ID       STATUS
                a       overlay  ok
                longer  x        error: y
                """, print(table));
    }

    @Test
    void lastColumnIsNotPaddedEvenWhenItIsTheWidest() {
        TextTable table = new TextTable("K", "VALUE").row("a", "a very long value").row("b", "v");

        assertEquals("""
                K  VALUE
                a  a very long value
                b  v
                """, print(table));
    }

    @Test
    void trailingSpacesOfEmptyCellsAreStripped() {
        TextTable table = new TextTable("TYPE", "ID", "EXPORTS").row("runtime", "", "").row("snap", "overlay", "");

        assertEquals("""
                TYPE     ID       EXPORTS
                runtime
                snap     overlay
                """, print(table));
    }

    @Test
    void rowWithFewerCellsPrintsOnlyThose() {
        TextTable table = new TextTable("A", "B", "C").row("x").row("y", "z");

        assertEquals("""
                A  B  C
                x
                y  z
                """, print(table));
    }
}
