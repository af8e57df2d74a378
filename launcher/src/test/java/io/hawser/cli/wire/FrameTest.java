package io.hawser.cli.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FrameTest {

    private static byte[] written(Frame... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (Frame frame : frames) {
            frame.write(out);
        }
        return bytes.toByteArray();
    }

    private static DataInputStream reading(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    /** A frame header and payload written by hand, to send what {@link Frame#write} refuses to. */
    private static byte[] raw(int kind, int length, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(kind);
        out.writeInt(length);
        out.write(payload);
        return bytes.toByteArray();
    }

    @Test
    void everyKindRoundTrips() throws IOException {
        for (Frame.Kind kind : Frame.Kind.values()) {
            byte[] payload = ("payload of " + kind).getBytes(StandardCharsets.UTF_8);

            Frame read = Frame.read(reading(written(new Frame(kind, payload))));

            assertEquals(kind, read.kind());
            assertArrayEquals(payload, read.payload());
        }
    }

    @Test
    void wireLayoutIsKindByteThenBigEndianLengthThenPayload() throws IOException {
        assertArrayEquals(new byte[] {16, 0, 0, 0, 2, 'h', 'i'}, written(Frame.text(Frame.Kind.STDOUT, "hi")));
    }

    @Test
    void framesAreReadInOrderAndCleanEndOfStreamIsNull() throws IOException {
        DataInputStream in = reading(written(Frame.text(Frame.Kind.STDOUT, "out"), new Frame(Frame.Kind.STDIN_EOF, new byte[0]),
                Frame.exit(3)));

        assertEquals("out", new String(Frame.read(in).payload(), StandardCharsets.UTF_8));
        assertEquals(0, Frame.read(in).payload().length);
        assertEquals(3, Frame.read(in).intAt(0));
        assertNull(Frame.read(in));
        assertNull(Frame.read(reading(new byte[0])));
    }

    @Test
    void exitAndResizeCarryTheirInts() throws IOException {
        Frame resize = Frame.read(reading(written(Frame.resize(132, 43))));

        assertEquals(Frame.Kind.RESIZE, resize.kind());
        assertEquals(132, resize.intAt(0));
        assertEquals(43, resize.intAt(1));
        assertEquals(-1, Frame.exit(-1).intAt(0));
    }

    @Test
    void payloadOfMaximumSizeRoundTrips() throws IOException {
        byte[] payload = new byte[Frame.MAX_PAYLOAD];
        Arrays.fill(payload, (byte) 7);

        assertArrayEquals(payload, Frame.read(reading(written(new Frame(Frame.Kind.STDOUT, payload)))).payload());
    }

    @Test
    void writingAnOversizedPayloadFails() {
        Frame big = new Frame(Frame.Kind.STDOUT, new byte[Frame.MAX_PAYLOAD + 1]);

        assertThrows(IOException.class, () -> big.write(new DataOutputStream(new ByteArrayOutputStream())));
    }

    @Test
    void unknownKindIsRejected() throws IOException {
        var e = assertThrows(IOException.class, () -> Frame.read(reading(raw(99, 1, new byte[] {0}))));

        assertTrue(e.getMessage().contains("unknown frame kind 99"), e.getMessage());
    }

    @Test
    void lengthOutOfRangeIsRejected() throws IOException {
        byte[] negative = raw(16, -1, new byte[0]);
        byte[] tooLong = raw(16, Frame.MAX_PAYLOAD + 1, new byte[0]);

        var first = assertThrows(IOException.class, () -> Frame.read(reading(negative)));
        var second = assertThrows(IOException.class, () -> Frame.read(reading(tooLong)));

        assertTrue(first.getMessage().contains("frame length -1 out of range"), first.getMessage());
        assertTrue(second.getMessage().contains("out of range"), second.getMessage());
    }

    @Test
    void truncatedPayloadIsReportedAsEndInTheMiddleOfAFrame() throws IOException {
        byte[] truncated = raw(16, 10, "abc".getBytes(StandardCharsets.UTF_8));

        var e = assertThrows(IOException.class, () -> Frame.read(reading(truncated)));

        assertTrue(e.getMessage().contains("in the middle of a frame"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReportedAsEndInTheMiddleOfAFrame() {
        byte[] truncated = {16, 0, 0};

        var e = assertThrows(IOException.class, () -> Frame.read(reading(truncated)));

        assertTrue(e.getMessage() != null && e.getMessage().contains("in the middle of a frame"), String.valueOf(e.getMessage()));
    }

    @Test
    void kindCodesAreFixedOnTheWire() throws IOException {
        // older peers read these bytes: a kind is only ever added, never renumbered
        int[] expected = {1, 2, 3, 4, 5, 16, 17, 18, 19, 20, 21};
        Frame.Kind[] kinds = {Frame.Kind.REQUEST, Frame.Kind.STDIN, Frame.Kind.STDIN_EOF, Frame.Kind.RESIZE, Frame.Kind.SIGNAL,
                Frame.Kind.STDOUT, Frame.Kind.STDERR, Frame.Kind.STDIN_WANTED, Frame.Kind.EXIT, Frame.Kind.TERMINAL, Frame.Kind.SIGNALS};
        assertEquals(kinds.length, Frame.Kind.values().length);
        for (int i = 0; i < kinds.length; i++) {
            assertEquals(expected[i], written(new Frame(kinds[i], new byte[0]))[0]);
        }
    }

    @Test
    void terminalFrameCarriesTheRawFlag() throws IOException {
        Frame raw = Frame.read(reading(written(Frame.terminal(true))));
        Frame cooked = Frame.read(reading(written(Frame.terminal(false))));

        assertEquals(Frame.Kind.TERMINAL, raw.kind());
        assertArrayEquals(new byte[] {20, 0, 0, 0, 4, 0, 0, 0, 1}, written(Frame.terminal(true)));
        assertEquals(Frame.RAW, raw.intAt(0) & Frame.RAW);
        assertEquals(0, cooked.intAt(0) & Frame.RAW);
    }

    @Test
    void signalFrameCarriesTheNumber() throws IOException {
        assertArrayEquals(new byte[] {5, 0, 0, 0, 4, 0, 0, 0, 2}, written(Frame.signal(2)));
        assertEquals(15, Frame.read(reading(written(Frame.signal(15)))).intAt(0));
    }

    @Test
    void aConversationWithATerminalReadsBackInOrder() throws IOException {
        DataInputStream in = reading(written(Frame.terminal(true), Frame.resize(100, 30), new Frame(Frame.Kind.STDIN, new byte[] {3}),
                Frame.resize(120, 40), Frame.text(Frame.Kind.STDOUT, "^C\r\n"), Frame.exit(130)));

        assertEquals(Frame.Kind.TERMINAL, Frame.read(in).kind());
        Frame first = Frame.read(in);
        assertEquals(100, first.intAt(0));
        assertEquals(30, first.intAt(1));
        assertArrayEquals(new byte[] {3}, Frame.read(in).payload());
        assertEquals(120, Frame.read(in).intAt(0));
        assertEquals(Frame.Kind.STDOUT, Frame.read(in).kind());
        assertEquals(130, Frame.read(in).intAt(0));
        assertNull(Frame.read(in));
    }
}
