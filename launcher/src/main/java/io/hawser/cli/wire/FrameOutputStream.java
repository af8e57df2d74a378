package io.hawser.cli.wire;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** An output stream that sends what is written as frames of one kind. */
public final class FrameOutputStream extends OutputStream {

    private final DataOutputStream out;
    private final Frame.Kind kind;

    public FrameOutputStream(DataOutputStream out, Frame.Kind kind) {
        this.out = out;
        this.kind = kind;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int start = offset; start < offset + length; start += Frame.MAX_PAYLOAD) {
            int end = Math.min(offset + length, start + Frame.MAX_PAYLOAD);
            new Frame(kind, Arrays.copyOfRange(bytes, start, end)).write(out);
        }
    }
}
