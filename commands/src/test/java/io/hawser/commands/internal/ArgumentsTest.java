package io.hawser.commands.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.hawser.frontend.CommandException;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void repeatedOptionsAreAllTakenInOrderInBothSpellings() throws CommandException {
        Arguments arguments = Arguments.of(List.of("-e", "A=1", "x", "--env=B=2", "-e", "C=3"));

        assertEquals(List.of("A=1", "B=2", "C=3"), arguments.options("-e", "--env"));
        assertEquals(List.of("x"), arguments.operands(1, 1, "x"));
    }

    @Test
    void theLastValueOfASingleOptionWins() throws CommandException {
        assertEquals(Optional.of("b"), Arguments.of(List.of("--name", "a", "--name=b")).option("--name"));
    }

    @Test
    void aRepeatedOptionWithoutValueIsAUsageError() {
        var e = assertThrows(CommandException.class, () -> Arguments.of(List.of("-e")).options("-e"));

        assertEquals(CommandException.USAGE, e.status());
    }

    @Test
    void optionsEndAtTheFirstOperandSoTheCommandKeepsItsFlags() throws CommandException {
        Arguments arguments = Arguments.untilOperand(List.of("--rm", "--name", "web", "busybox", "ls", "-l", "--rm"),
                Set.of("--name"), "dit");

        assertTrue(arguments.flag("--rm"));
        assertEquals(Optional.of("web"), arguments.option("--name"));
        assertEquals(List.of("busybox", "ls", "-l", "--rm"), arguments.operands(1, 10, "an image"));
    }

    @Test
    void aValueThatLooksLikeAnOperandIsTheOptionsValue() throws CommandException {
        Arguments arguments = Arguments.untilOperand(List.of("-e", "A=1", "-w", "/tmp", "busybox"), Set.of("-e", "-w"), "dit");

        assertEquals(List.of("A=1"), arguments.options("-e"));
        assertEquals(Optional.of("/tmp"), arguments.option("-w"));
        assertEquals(List.of("busybox"), arguments.operands(1, 1, "an image"));
    }

    @Test
    void clusteredFlagsAreTakenApartOnlyWhenEveryLetterIsAFlag() throws CommandException {
        Arguments it = Arguments.untilOperand(List.of("-it", "busybox", "sh"), Set.of(), "dit");
        assertTrue(it.flag("-i"));
        assertTrue(it.flag("-t"));
        assertEquals(List.of("busybox", "sh"), it.operands(1, 5, "an image"));

        Arguments unknown = Arguments.untilOperand(List.of("-ix", "busybox"), Set.of(), "dit");
        assertFalse(unknown.flag("-i"));
        var e = assertThrows(CommandException.class, () -> unknown.operands(1, 5, "an image"));
        assertTrue(e.getMessage().contains("unknown argument -ix"), e.getMessage());
    }

    @Test
    void doubleDashEndsTheOptionsAndIsDropped() throws CommandException {
        Arguments arguments = Arguments.untilOperand(List.of("-d", "--", "-image-like", "--", "x"), Set.of(), "dit");

        assertTrue(arguments.flag("-d"));
        assertEquals(List.of("-image-like", "--", "x"), arguments.operands(1, 5, "an image"));
    }
}
