package io.hawser.cli.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FrameOutputStreamTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FrameOutputStream stream = new FrameOutputStream(new DataOutputStream(bytes), Frame.Kind.STDERR);

    private List<Frame> frames() throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        List<Frame> frames = new ArrayList<>();
        for (Frame frame; (frame = Frame.read(in)) != null; ) {
            frames.add(frame);
        }
        return frames;
    }

    @Test
    void writeLargerThanOneFrameIsSplitIntoFramesOfAtMostMaxPayload() throws IOException {
        byte[] data = new byte[2 * Frame.MAX_PAYLOAD + 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }

        stream.write(data);

        List<Frame> frames = frames();
        assertEquals(List.of(Frame.MAX_PAYLOAD, Frame.MAX_PAYLOAD, 5), frames.stream().map(f -> f.payload().length).toList());
        assertEquals(List.of(Frame.Kind.STDERR, Frame.Kind.STDERR, Frame.Kind.STDERR), frames.stream().map(Frame::kind).toList());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Frame frame : frames) {
            joined.write(frame.payload());
        }
        assertArrayEquals(data, joined.toByteArray());
    }

    @Test
    void writeOfASliceSendsOnlyThatSlice() throws IOException {
        stream.write("xxhelloyy".getBytes(), 2, 5);

        assertEquals(List.of("hello"), frames().stream().map(f -> new String(f.payload())).toList());
    }

    @Test
    void singleByteIsOneFrame() throws IOException {
        stream.write('\n');

        List<Frame> frames = frames();
        assertEquals(1, frames.size());
        assertArrayEquals(new byte[] {'\n'}, frames.getFirst().payload());
    }

    @Test
    void emptyWriteSendsNothing() throws IOException {
        stream.write(new byte[0]);

        assertEquals(0, bytes.size());
        assertEquals(List.of(), frames());
    }
}
