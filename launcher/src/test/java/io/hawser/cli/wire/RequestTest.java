package io.hawser.cli.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RequestTest {

    private static Frame throughTheWire(Frame frame) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        frame.write(new DataOutputStream(bytes));
        return Frame.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static Frame requestFrame(int layout, int argumentCount) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(layout);
            out.writeBoolean(false);
            out.writeInt(80);
            out.writeInt(24);
            out.writeInt(argumentCount);
        }
        return new Frame(Frame.Kind.REQUEST, bytes.toByteArray());
    }

    @Test
    void requestIsLaidOutAsDataOutputStreamWouldLayItOut() throws IOException {
        List<String> args = List.of("run", "nul\0inside", "é ☃ \uD83D\uDE00", "", "x".repeat(70_000 / 3));
        Request request = new Request(args, true, 132, 43, "/home/op");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeInt(2);
            out.writeBoolean(true);
            out.writeInt(132);
            out.writeInt(43);
            out.writeUTF("/home/op");
            out.writeInt(args.size());
            for (String arg : args) {
                out.writeUTF(arg);
            }
        }

        assertArrayEquals(expected.toByteArray(), request.toFrame().payload());
        assertEquals(request, Request.fromFrame(throughTheWire(request.toFrame())));
    }

    @Test
    void anArgumentTooLongForItsLengthIsRefused() {
        Request request = new Request(List.of("x".repeat(0x10000)), false, 80, 24, "/");
        assertThrows(java.io.UTFDataFormatException.class, request::toFrame);
    }

    @Test
    void requestRoundTripsThroughAFrame() throws IOException {
        Request request = new Request(List.of("images", "pull", "", "docker.io/library/busybox:1.36", "überall ☃"), true, 132, 43, "/home/op");

        Request decoded = Request.fromFrame(throughTheWire(request.toFrame()));

        assertEquals(request, decoded);
        assertEquals(Frame.Kind.REQUEST, request.toFrame().kind());
    }

    @Test
    void argumentsAreCopied() {
        List<String> args = new ArrayList<>(List.of("version"));
        Request request = new Request(args, false, 80, 24, "/");

        args.add("--extra");

        assertEquals(List.of("version"), request.args());
    }

    @Test
    void otherLayoutVersionIsRejected() throws IOException {
        var e = assertThrows(IOException.class, () -> Request.fromFrame(requestFrame(1, 0)));

        assertTrue(e.getMessage().contains("request layout 1 is not understood"), e.getMessage());
    }

    @Test
    void frameOfAnotherKindIsRejected() {
        var e = assertThrows(IOException.class, () -> Request.fromFrame(Frame.text(Frame.Kind.STDIN, "version")));

        assertTrue(e.getMessage().contains("STDIN"), e.getMessage());
    }

    @Test
    void implausibleArgumentCountIsRejected() {
        assertThrows(IOException.class, () -> Request.fromFrame(requestFrame(1, -1)));
        assertThrows(IOException.class, () -> Request.fromFrame(requestFrame(1, 10_001)));
    }

    @Test
    void payloadShorterThanItsArgumentCountIsRejected() {
        assertThrows(IOException.class, () -> Request.fromFrame(requestFrame(1, 2)));
    }
}
