package io.hawser.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TtyTest {

    @Test
    void sttySizeIsRowsThenColumns() {
        assertArrayEquals(new int[] {132, 43}, Tty.parseSize("43 132\n").orElseThrow());
    }

    @Test
    void anUnsizedOrGarbledAnswerIsNoSize() {
        assertTrue(Tty.parseSize("0 0\n").isEmpty());
        assertTrue(Tty.parseSize("").isEmpty());
        assertTrue(Tty.parseSize("stty: standard input: Inappropriate ioctl for device").isEmpty());
        assertTrue(Tty.parseSize("24 x").isEmpty());
    }
}
