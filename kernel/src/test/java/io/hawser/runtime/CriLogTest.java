package io.hawser.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.hawser.runtime.Attachment.Stream;
import org.junit.jupiter.api.Test;

class CriLogTest {

    private static Optional<CriLog.Entry> parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return CriLog.parse(bytes, bytes.length);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anEntryIsTimeStreamTagAndContentWithItsSpaces() {
        CriLog.Entry entry = parse("2026-11-23T12:00:00.123456789Z stdout F hello  world ").orElseThrow();

        assertEquals("2026-11-23T12:00:00.123456789Z", entry.time());
        assertEquals(Stream.STDOUT, entry.stream());
        assertFalse(entry.partial());
        assertEquals("hello  world ", text(entry.content()));
        assertEquals("hello  world \n", text(entry.output()));
    }

    @Test
    void partialEntriesKeepTheirBytesWithoutANewline() {
        CriLog.Entry entry = parse("2026-11-23T12:00:00Z stderr P $ ").orElseThrow();

        assertEquals(Stream.STDERR, entry.stream());
        assertTrue(entry.partial());
        assertEquals("$ ", text(entry.output()));
    }

    @Test
    void anEmptyLineMayLackTheSpaceBeforeItsContentAndTagsMayCarryMore() {
        assertEquals("", text(parse("2026-11-23T12:00:00Z stdout F").orElseThrow().content()));
        assertEquals("", text(parse("2026-11-23T12:00:00Z stdout F ").orElseThrow().content()));
        assertEquals("x", text(parse("2026-11-23T12:00:00Z stdout F:extra x").orElseThrow().content()));
    }

    @Test
    void linesThatAreNotEntriesAreSkipped() {
        assertTrue(parse("").isEmpty());
        assertTrue(parse("garbage").isEmpty());
        assertTrue(parse("2026-11-23T12:00:00Z stdin F x").isEmpty());
        assertTrue(parse("2026-11-23T12:00:00Z stdout X x").isEmpty());
        assertTrue(parse("2026-11-23T12:00:00Z stdout").isEmpty());
        assertTrue(parse(" stdout F x").isEmpty());
    }

    @Test
    void invalidUtf8ContentIsKeptByteForByte() {
        byte[] line = {'t', ' ', 's', 't', 'd', 'o', 'u', 't', ' ', 'F', ' ', (byte) 0xff, (byte) 0xfe};

        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe}, CriLog.parse(line, line.length).orElseThrow().content());
    }

    @Test
    void piecesOfLinesAreJoinedPerStreamWhileTheStreamsInterleave() {
        CriLog.Joiner joiner = new CriLog.Joiner();
        List<CriLog.Line> lines = new ArrayList<>();
        for (String entry : List.of("t1 stdout P hel", "t2 stderr P warn", "t3 stdout P lo ", "t4 stderr F ing", "t5 stdout F world",
                "t6 stdout F second")) {
            joiner.add(parse(entry).orElseThrow()).ifPresent(lines::add);
        }

        assertEquals(3, lines.size());
        assertEquals("t2", lines.get(0).time());
        assertEquals(Stream.STDERR, lines.get(0).stream());
        assertEquals("warning", text(lines.get(0).text()));
        assertEquals("t1", lines.get(1).time(), "a joined line has its first piece's time");
        assertEquals("hello world", text(lines.get(1).text()));
        assertEquals("second", text(lines.get(2).text()));
        assertTrue(joiner.unfinished().isEmpty());
    }

    @Test
    void aLineNotEndedYetIsUnfinished() {
        CriLog.Joiner joiner = new CriLog.Joiner();
        joiner.add(parse("t1 stdout P / # ").orElseThrow());

        List<CriLog.Line> unfinished = joiner.unfinished();

        assertEquals(1, unfinished.size());
        assertEquals("/ # ", text(unfinished.getFirst().text()));
        assertFalse(unfinished.getFirst().complete());
    }
}
